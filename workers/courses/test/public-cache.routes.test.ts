import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildEvent } from "@platform/events";
import { inProcess, principal, recordingQueue, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { applyEvent } from "../src/event-handlers.ts";
import type { CourseView } from "../src/routes/schemas.ts";
import { PERSONAL_READ, PUBLIC_READ } from "../src/routes/cache-headers.ts";
import { draftCourse, publishedCourse, type OutlineAnswer } from "./in-process-authoring.ts";
import { localKv, type LocalKv } from "./local-kv.ts";

/**
 * A published course's page (by id and by slug) and its anonymous outline are served from the
 * shared cache (real local KV, and the isolate's memory in front of it) until the course changes,
 * and a change is visible within a second. A learner's own view and an author's are never
 * served from it, and drafts are never put in it.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let kv: LocalKv;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  kv = cache.kv;
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: kv });
});
afterAll(async () => {
  await pool.end();
  await cache?.dispose();
});

const author = principal("instructor");
const admin = principal("admin");
/** What another isolate's memory may hold on to: the bound of "within a second", with room to spare. */
const WITHIN_A_SECOND = { timeout: 3_000, interval: 100 } as const;

const page = (path: string, as?: Principal) => courses.request<CourseView>("GET", path, as ? { as } : {});
const outline = (courseId: string, as?: Principal) =>
  courses.request<OutlineAnswer>("GET", `/api/courses/${courseId}/lessons`, as ? { as } : {});
const cacheOf = (answer: { headers: Headers }) => [answer.headers.get("x-cache"), answer.headers.get("cache-control")];

/** What the cache holds for a course, besides its version. */
async function cachedEntries(courseId: string): Promise<string[]> {
  const { keys } = await kv.list({ prefix: `course:${courseId}:` });
  return keys
    .map((key) => key.name)
    .filter((name) => name !== `course:${courseId}:generation`)
    .map((name) => name.split(":").at(-1) ?? name);
}

async function enrolledLearner(courseId: string): Promise<Principal> {
  const learner = principal("learner");
  const joined = await courses.request("POST", `/api/courses/${courseId}/enroll`, { as: learner });
  expect(joined.status).toBe(201);
  return learner;
}

describe("a published course's page", () => {
  it("is served from the cache by id, to anonymous and signed-in callers, until it changes; a change shows at once", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}`;
    const first = await page(path);
    expect(first.status).toBe(200);
    expect(cacheOf(first)).toEqual(["miss", PUBLIC_READ]);
    expect(cacheOf(await page(path))).toEqual(["hit", PUBLIC_READ]);
    // The same for every caller who is not its editor: a signed-in learner shares it.
    const learnerView = await page(path, principal("learner"));
    expect(cacheOf(learnerView)).toEqual(["hit", PUBLIC_READ]);
    expect(learnerView.body).toEqual(first.body);

    const edited = await courses.request("PATCH", path, { as: author, body: { title: "A changed title" } });
    expect(edited.status).toBe(200);
    const after = await page(path);
    expect(after.body.title).toBe("A changed title");
    expect(cacheOf(after)).toEqual(["miss", PUBLIC_READ]);
  });

  it("is served by slug from the same entry, and a slug change moves it: the old slug answers 404", async () => {
    const course = await publishedCourse(courses, author);
    const bySlug = `/api/courses/by-slug/${course.slug}`;
    const first = await page(bySlug);
    expect(first.status).toBe(200);
    expect(first.body.id).toBe(course.id);
    // The first read by slug learns which course it names; the next reads share the course's page.
    await page(`/api/courses/${course.id}`);
    expect(cacheOf(await page(bySlug))).toEqual(["hit", PUBLIC_READ]);

    const newSlug = `${course.slug}-renamed`;
    await courses.request("PATCH", `/api/courses/${course.id}`, { as: author, body: { slug: newSlug } });
    expect((await page(bySlug)).status).toBe(404);
    const moved = await page(`/api/courses/by-slug/${newSlug}`);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: course.id, slug: newSlug });

    // The freed slug taken by another course: the old hint is not trusted, the new course is served.
    const other = await publishedCourse(courses, author, { slug: course.slug, title: "The slug's new owner" });
    const taken = await page(bySlug);
    expect(taken.body).toMatchObject({ id: other.id, title: "The slug's new owner" });
  });

  it("shows another isolate's change within a second: a version moved in KV is noticed once the memory lapses", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}`;
    await page(path);
    // Changed behind the app's back (no version moved): the cache keeps answering the old page.
    await pool.query("update courses.courses set title = 'Changed elsewhere' where id = $1", [course.id]);
    const stale = await page(path);
    expect(cacheOf(stale)[0]).toBe("hit");
    expect(stale.body.title).toBe(course.title);
    // What the worker that wrote it does after its commit, as seen from this isolate: KV only.
    await kv.put(`course:${course.id}:generation`, uuidv7());
    await expect.poll(async () => (await page(path)).body.title, WITHIN_A_SECOND).toBe("Changed elsewhere");
  });

  it("is invalidated by the course's COURSE_UPDATED event too (the backstop), but not by a draft's", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}/lessons`;
    await outline(course.id);
    await pool.query("update courses.lessons set title = 'Renamed elsewhere' where course_id = $1", [course.id]);
    expect((await outline(course.id)).body.lessons[0]?.title).toBe("Preview");
    const event = (status: "draft" | "published") =>
      buildEvent(
        "COURSE_UPDATED",
        { courseId: course.id, authorId: author.userId, changed: ["lessons"], status },
        { source: "courses", correlationId: "cache-test" },
      );
    // The handler for these events needs no database.
    expect(await applyEvent(undefined as never, kv, event("draft"))).toBe("ignored");
    expect(await applyEvent(undefined as never, kv, event("published"))).toBe("applied");
    await expect
      .poll(async () => (await courses.request<OutlineAnswer>("GET", path)).body.lessons[0]?.title, WITHIN_A_SECOND)
      .toBe("Renamed elsewhere");
  });

  it("is read from PostgreSQL for its editors (author, admin), never from the cache", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}`;
    await page(path);
    await pool.query("update courses.courses set summary = 'Only PostgreSQL knows' where id = $1", [course.id]);
    expect(cacheOf(await page(path))[0]).toBe("hit");
    for (const editor of [author, admin]) {
      const own = await page(path, editor);
      expect(own.body.summary).toBe("Only PostgreSQL knows");
      expect(cacheOf(own)).toEqual(["bypass", PERSONAL_READ]);
    }
  });
});

describe("drafts and archived courses", () => {
  it("never puts a draft in the cache nor shows it to anyone but its editors", async () => {
    const course = await draftCourse(courses, author);
    for (const caller of [undefined, principal("learner")]) {
      expect((await page(`/api/courses/${course.id}`, caller)).status).toBe(404);
      expect((await page(`/api/courses/by-slug/${course.slug}`, caller)).status).toBe(404);
      expect((await outline(course.id, caller)).status).toBe(404);
    }
    const own = await page(`/api/courses/${course.id}`, author);
    expect(own.status).toBe(200);
    expect(cacheOf(own)).toEqual(["bypass", PERSONAL_READ]);
    expect(cacheOf(await outline(course.id, author))).toEqual(["bypass", PERSONAL_READ]);
    expect(await cachedEntries(course.id)).toEqual([]);
  });

  it("stops serving a course from the cache once it is archived; a learner with access still reads it, privately", async () => {
    const course = await publishedCourse(courses, author);
    const learner = await enrolledLearner(course.id);
    await page(`/api/courses/${course.id}`);
    await outline(course.id);
    expect((await cachedEntries(course.id)).sort()).toEqual(["outline", "page"]);

    expect((await courses.request("POST", `/api/courses/${course.id}/archive`, { as: author })).status).toBe(200);
    expect((await page(`/api/courses/${course.id}`)).status).toBe(404);
    expect((await outline(course.id)).status).toBe(404);
    const kept = await page(`/api/courses/${course.id}`, learner);
    expect(kept.status).toBe(200);
    expect(cacheOf(kept)).toEqual(["bypass", PERSONAL_READ]);
    expect((await outline(course.id, learner)).body.access).toBe("full");
  });
});

describe("the lesson list (outline)", () => {
  it("is shared for anonymous visitors only: a learner with access always gets their own, unlocked, never the preview", async () => {
    const course = await publishedCourse(courses, author);
    const anonymous = await outline(course.id);
    expect(cacheOf(anonymous)).toEqual(["miss", PUBLIC_READ]);
    expect(anonymous.body.access).toBe("preview");
    expect(anonymous.body.lessons.map((lesson) => [lesson.locked, lesson.html !== null, lesson.markdown])).toEqual([
      [false, true, null],
      [true, false, null],
    ]);
    expect(cacheOf(await outline(course.id))).toEqual(["hit", PUBLIC_READ]);

    const learner = await enrolledLearner(course.id);
    const own = await outline(course.id, learner);
    expect(cacheOf(own)).toEqual(["bypass", PERSONAL_READ]);
    expect(own.body.access).toBe("full");
    expect(own.body.lessons.every((lesson) => !lesson.locked && lesson.html !== null)).toBe(true);

    // Signed in without access: their own answer too (it was read for them), though it shows the same.
    const stranger = await outline(course.id, principal("learner"));
    expect(cacheOf(stranger)).toEqual(["bypass", PERSONAL_READ]);
    expect(stranger.body).toEqual(anonymous.body);

    const asAuthor = await outline(course.id, author);
    expect(cacheOf(asAuthor)).toEqual(["bypass", PERSONAL_READ]);
    expect(asAuthor.body.lessons[1]?.markdown).toBe("# Closed\n\nFor learners.");

    // The shared entry never held anything but the preview.
    const { keys } = await kv.list({ prefix: `course:${course.id}:` });
    const stored = await Promise.all(
      keys.filter((key) => key.name.endsWith(":outline")).map((key) => kv.get<OutlineAnswer>(key.name, "json")),
    );
    expect(stored.map((entry) => entry?.access)).toEqual(["preview"]);
    expect(stored[0]?.lessons[1]).toMatchObject({ locked: true, html: null, markdown: null });
  });

  it("shows each kind of change to the outline at once: a lesson added, edited, reordered or removed, a section added", async () => {
    const course = await publishedCourse(courses, author);
    const titles = async () => (await outline(course.id)).body.lessons.map((lesson) => lesson.title);
    expect(await titles()).toEqual(["Preview", "Locked"]);

    const added = await courses.request<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, {
      as: author,
      body: { title: "Added", kind: "text", bodyMarkdown: "new", isPreview: true },
    });
    expect(await titles()).toEqual(["Preview", "Locked", "Added"]);

    await courses.request("PATCH", `/api/courses/${course.id}/lessons/${added.body.id}`, {
      as: author,
      body: { bodyMarkdown: "**edited**" },
    });
    expect((await outline(course.id)).body.lessons[2]?.html).toBe("<p><strong>edited</strong></p>\n");

    const ids = (await outline(course.id, author)).body.lessons.map((lesson) => lesson.id);
    await courses.request("PUT", `/api/courses/${course.id}/lessons/order`, {
      as: author,
      body: { lessonIds: [...ids].reverse() },
    });
    expect(await titles()).toEqual(["Added", "Locked", "Preview"]);

    await courses.request("DELETE", `/api/courses/${course.id}/lessons/${added.body.id}`, { as: author });
    expect(await titles()).toEqual(["Locked", "Preview"]);

    await courses.request("POST", `/api/courses/${course.id}/sections`, { as: author, body: { title: "Part one" } });
    expect((await outline(course.id)).body.sections.map((section) => section.title)).toEqual(["Part one"]);
  });
});

describe("the catalog", () => {
  it("carries the public Cache-Control, and a published course's edit shows in it at once", async () => {
    const word = `cachetest${Date.now().toString(36)}`;
    const course = await publishedCourse(courses, author, { title: `About ${word}` });
    const search = () =>
      courses.request<{ items: CourseView[] }>("GET", `/api/courses?q=${word}`).then((answer) => answer);
    const first = await search();
    expect(first.body.items.map((item) => item.id)).toEqual([course.id]);
    expect(first.headers.get("cache-control")).toBe(PUBLIC_READ);
    expect(cacheOf(await search())[0]).toBe("hit");
    await courses.request("PATCH", `/api/courses/${course.id}`, { as: author, body: { title: `Mastering ${word}` } });
    expect((await search()).body.items[0]?.title).toBe(`Mastering ${word}`);
  });
});
