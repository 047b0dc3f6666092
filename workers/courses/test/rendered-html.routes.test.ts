import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ServiceBackfill } from "@platform/db";
import { migrateAll } from "@platform/db/migrate";
import { migrationsFolder } from "@platform/dev-stack";
import { uniqueSlug } from "../../../test/support/courses.ts";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { backfill } from "../src/db/backfill.ts";
import { renderMarkdown } from "../src/markdown.ts";
import type { CourseView } from "../src/routes/schemas.ts";
import { addTextLesson, draftCourse, publishedCourse, type OutlineAnswer } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * Markdown is rendered once, when it is written, and stored beside its source; reads serve the
 * stored HTML and never render. Rows from before (null HTML) are filled by the backfill that the
 * migration runner runs after the courses migrations.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv });
});
afterAll(async () => {
  await pool.end();
  await cache?.dispose();
});

const author = principal("instructor");

const HOSTILE = 'Hi <script>alert("x")</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n**bold**';

async function storedCourse(courseId: string) {
  const { rows } = await pool.query<{ description: string; description_html: string | null }>(
    "select description, description_html from courses.courses where id = $1",
    [courseId],
  );
  return rows[0];
}

async function storedLesson(lessonId: string) {
  const { rows } = await pool.query<{ body_markdown: string | null; body_html: string | null }>(
    "select body_markdown, body_html from courses.lessons where id = $1",
    [lessonId],
  );
  return rows[0];
}

describe("rendering when written", () => {
  it("stores a course description's HTML on create and on change, equal to the renderer's, script escaped", async () => {
    const course = await draftCourse(courses, author, { description: HOSTILE });
    expect(await storedCourse(course.id)).toEqual({ description: HOSTILE, description_html: renderMarkdown(HOSTILE) });
    expect(course.descriptionHtml).toBe(renderMarkdown(HOSTILE));
    expect(course.descriptionHtml).toContain("&lt;script&gt;");
    expect(course.descriptionHtml).not.toMatch(/<script|<img|href="javascript:/i);

    const retitled = await courses.request<CourseView>("PATCH", `/api/courses/${course.id}`, {
      as: author,
      body: { title: "Only the title changes" },
    });
    expect(retitled.status).toBe(200);
    expect((await storedCourse(course.id))?.description_html).toBe(renderMarkdown(HOSTILE));

    const changed = await courses.request<CourseView>("PATCH", `/api/courses/${course.id}`, {
      as: author,
      body: { description: "## Now\n\nA *new* description." },
    });
    expect(changed.body.descriptionHtml).toBe("<h2>Now</h2>\n<p>A <em>new</em> description.</p>\n");
    expect((await storedCourse(course.id))?.description_html).toBe(changed.body.descriptionHtml);
  });

  it("stores a text lesson's HTML on add and on change; a video lesson has none", async () => {
    const course = await draftCourse(courses, author);
    const lesson = await addTextLesson(courses, author, course.id, { title: "Text", bodyMarkdown: HOSTILE });
    expect(await storedLesson(lesson.id)).toEqual({ body_markdown: HOSTILE, body_html: renderMarkdown(HOSTILE) });
    expect(lesson.html).toBe(renderMarkdown(HOSTILE));
    expect(lesson.html).toContain("&lt;script&gt;");
    expect(lesson.html).not.toMatch(/<script|<img|href="javascript:/i);

    await courses.request("PATCH", `/api/courses/${course.id}/lessons/${lesson.id}`, {
      as: author,
      body: { title: "Renamed only" },
    });
    expect((await storedLesson(lesson.id))?.body_html).toBe(renderMarkdown(HOSTILE));
    const changed = await courses.request<{ html: string }>("PATCH", `/api/courses/${course.id}/lessons/${lesson.id}`, {
      as: author,
      body: { bodyMarkdown: "Plain `code`." },
    });
    expect(changed.body.html).toBe("<p>Plain <code>code</code>.</p>\n");
    expect((await storedLesson(lesson.id))?.body_html).toBe(changed.body.html);

    const video = await courses.request<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, {
      as: author,
      body: { title: "Video", kind: "video" },
    });
    expect(await storedLesson(video.body.id)).toEqual({ body_markdown: null, body_html: null });
  });
});

describe("reading", () => {
  it("serves the stored HTML as it is: what is in the column is what a reader gets", async () => {
    const course = await publishedCourse(courses, author);
    // Written behind the app's back: only a read that uses the stored column can show these.
    await pool.query("update courses.lessons set body_html = '<p>stored, not rendered</p>' where course_id = $1", [
      course.id,
    ]);
    await pool.query("update courses.courses set description_html = '<p>stored description</p>' where id = $1", [
      course.id,
    ]);
    // The author's own views are read from PostgreSQL, never from the cache.
    const outline = await courses.request<OutlineAnswer>("GET", `/api/courses/${course.id}/lessons`, { as: author });
    expect(outline.body.lessons.map((lesson) => lesson.html)).toEqual([
      "<p>stored, not rendered</p>",
      "<p>stored, not rendered</p>",
    ]);
    expect(outline.body.lessons[0]?.markdown).toBe("# Open\n\nFor all.");
    const page = await courses.request<CourseView>("GET", `/api/courses/${course.id}`, { as: author });
    expect(page.body.descriptionHtml).toBe("<p>stored description</p>");
  });
});

describe("the backfill", () => {
  /** A course and lessons written straight into the tables, as before the html columns: HTML null. */
  async function rowsFromBefore(bodies: string[]) {
    const courseId = uuidv7();
    const description = `Old *description* ${courseId}`;
    await pool.query(
      "insert into courses.courses (id, author_id, slug, title, description) values ($1, $2, $3, 'Old course', $4)",
      [courseId, author.userId, uniqueSlug("old"), description],
    );
    const lessonIds: string[] = [];
    for (const [position, body] of bodies.entries()) {
      const id = uuidv7();
      lessonIds.push(id);
      await pool.query(
        "insert into courses.lessons (id, course_id, position, title, kind, body_markdown) values ($1, $2, $3, 'Old', 'text', $4)",
        [id, courseId, position, body],
      );
    }
    const videoId = uuidv7();
    await pool.query(
      "insert into courses.lessons (id, course_id, position, title, kind) values ($1, $2, $3, 'Old video', 'video')",
      [videoId, courseId, bodies.length],
    );
    return { courseId, description, lessonIds, videoId };
  }

  it("fills rows written without HTML, in batches, with the renderer's output; a second run changes nothing", async () => {
    const bodies = ["# One", HOSTILE, "three", "*four*", "5. five"];
    const old = await rowsFromBefore(bodies);
    const step: ServiceBackfill = backfill;
    // Batches of two: five rows take three batches, the last one short.
    const filled = await backfill(drizzle({ client: pool }), 2);
    expect(filled.lessons).toBeGreaterThanOrEqual(bodies.length);
    expect(filled.courses).toBeGreaterThanOrEqual(1);
    for (const [index, id] of old.lessonIds.entries()) {
      expect(await storedLesson(id)).toEqual({
        body_markdown: bodies[index],
        body_html: renderMarkdown(bodies[index] ?? ""),
      });
    }
    expect((await storedLesson(old.lessonIds[1] ?? ""))?.body_html).toContain("&lt;script&gt;");
    expect(await storedLesson(old.videoId)).toEqual({ body_markdown: null, body_html: null });
    expect((await storedCourse(old.courseId))?.description_html).toBe(renderMarkdown(old.description));

    // Idempotent: nothing is left to fill, and what was filled stays as it is.
    expect(await step(drizzle({ client: pool }))).toEqual({
      lessons: 0,
      courses: 0,
      searchTitles: 0,
      searchSummaries: 0,
    });
    expect((await storedLesson(old.lessonIds[0] ?? ""))?.body_html).toBe("<h1>One</h1>\n");
  });

  it("folds the title and summary of courses written straight into the table, as demo data is: then search finds them by any accent or prefix", async () => {
    const word = `raw${uuidv7().replaceAll("-", "").slice(-10).replace(/\d/g, "x")}`;
    const courseId = uuidv7();
    await pool.query(
      `insert into courses.courses (id, author_id, slug, title, summary, status, published_at)
       values ($1, $2, $3, $4, 'Pâtisserie für Anfänger', 'published', date_trunc('milliseconds', now()))`,
      [courseId, author.userId, uniqueSlug("raw"), `Crème Brûlée ${word}`],
    );
    const search = async (q: string) =>
      (await courses.request<{ items: CourseView[] }>("GET", `/api/courses?q=${encodeURIComponent(q)}`)).body.items.map(
        (item) => item.id,
      );
    // Before the backfill the search reads the raw text: its words without accents are found, case aside.
    expect(await search(word.toUpperCase())).toEqual([courseId]);
    expect(await search(`creme ${word}`)).toEqual([]);

    const filled = await backfill(drizzle({ client: pool }));
    expect(filled.searchTitles).toBeGreaterThanOrEqual(1);
    expect(filled.searchSummaries).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query("select title_folded, summary_folded from courses.courses where id = $1", [
      courseId,
    ]);
    expect(rows).toEqual([{ title_folded: `creme brulee ${word}`, summary_folded: "patisserie fur anfanger" }]);
    // The backfill wrote behind the app's back: the catalog's version moves on as a publish would.
    await cache.kv.put("catalog:generation", uuidv7());
    await expect.poll(() => search(`creme brul ${word}`), { timeout: 3_000, interval: 100 }).toEqual([courseId]);
    expect(await search(`patiss anfang ${word}`)).toEqual([courseId]);
  });

  it("runs as part of migrating: migrateAll fills the courses service's rows after its migrations", async () => {
    const old = await rowsFromBefore(["filled by *the migration step*"]);
    const [result] = await migrateAll(inject("routesDatabaseUrl"), [
      { schema: "courses", folder: migrationsFolder("courses") },
    ]);
    expect(result?.schema).toBe("courses");
    expect(result?.backfilled).toBeGreaterThanOrEqual(2);
    expect((await storedLesson(old.lessonIds[0] ?? ""))?.body_html).toBe(
      "<p>filled by <em>the migration step</em></p>\n",
    );
    expect((await storedCourse(old.courseId))?.description_html).toBe(renderMarkdown(old.description));
    const again = await migrateAll(inject("routesDatabaseUrl"), [
      { schema: "courses", folder: migrationsFolder("courses") },
    ]);
    expect(again[0]?.backfilled).toBe(0);
  });
});
