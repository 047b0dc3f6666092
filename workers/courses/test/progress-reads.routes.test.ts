import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openDatabase } from "@platform/db";
import { databaseBindings, inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { readCourseOutline, readLearnerCourses } from "../src/progress-reads.ts";
import { addTextLesson, draftCourse, publishedCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * What the progress service reads over RPC (`courseOutline`, `outlineOfLesson`, `learnerCourses`),
 * against the real courses schema: drafts hidden, lessons in order, only active grants, the
 * subscription flag, and a `readAt` on the database's clock.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const { db, close } = openDatabase(databaseBindings(), schema);
let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv });
});
afterAll(async () => {
  await cache?.dispose();
  await close();
  await pool.end();
});

const author = principal("instructor");

describe("courseOutline and outlineOfLesson", () => {
  it("a published course's lessons in order, found by the course or by any of its lessons", async () => {
    const course = await publishedCourse(courses, author);
    const added = await addTextLesson(courses, author, course.id, { title: "Third", bodyMarkdown: "More." });
    const before = Date.now();
    const outline = await readCourseOutline(db, { courseId: course.id });
    expect(outline).toMatchObject({ id: course.id, title: course.title, slug: course.slug, status: "published" });
    expect(outline?.lessons.map((lesson) => [lesson.position, lesson.kind, lesson.required])).toEqual([
      [0, "text", true],
      [1, "text", true],
      [2, "text", true],
    ]);
    expect(outline?.lessons[0]).toMatchObject({ isPreview: true, durationSeconds: null });
    expect(outline?.lessons.at(-1)?.id).toBe(added.id);
    expect(Math.abs(new Date(outline?.readAt ?? 0).getTime() - before)).toBeLessThan(60_000);

    expect((await readCourseOutline(db, { lessonId: added.id }))?.lessons).toEqual(outline?.lessons);
  });

  it("a draft, an unknown id and an id that is not a UUID are not found", async () => {
    const draft = await draftCourse(courses, author);
    const lesson = await addTextLesson(courses, author, draft.id, { title: "Draft lesson", bodyMarkdown: "x" });
    expect(await readCourseOutline(db, { courseId: draft.id })).toBeUndefined();
    expect(await readCourseOutline(db, { lessonId: lesson.id })).toBeUndefined();
    expect(await readCourseOutline(db, { courseId: uuidv7() })).toBeUndefined();
    expect(await readCourseOutline(db, { lessonId: "not-a-uuid" })).toBeUndefined();
  });
});

describe("learnerCourses", () => {
  it("active grants only, one per course with every kind held and the earliest time; the subscription flag", async () => {
    const [one, two, refunded] = await Promise.all([
      publishedCourse(courses, author),
      publishedCourse(courses, author),
      publishedCourse(courses, author),
    ]);
    const { userId } = principal("learner");
    const grant = (courseId: string, via: string, reference: string, grantedAt: string, revokedAt: string | null) =>
      pool.query(
        "insert into courses.enrollments (id, user_id, course_id, via, reference, granted_at, revoked_at) values ($1, $2, $3, $4, $5, $6, $7)",
        [uuidv7(), userId, courseId, via, reference, grantedAt, revokedAt],
      );
    await grant(one.id, "purchase", uuidv7(), "2026-05-02T00:00:00Z", null);
    await grant(one.id, "free_enrollment", "free", "2026-05-01T00:00:00Z", null);
    await grant(two.id, "integrator", "crm-1", "2026-05-03T00:00:00Z", null);
    await grant(refunded.id, "purchase", uuidv7(), "2026-05-04T00:00:00Z", "2026-05-05T00:00:00Z");

    const listed = await readLearnerCourses(db, userId);
    expect(listed.subscribed).toBe(false);
    const byCourse = new Map(listed.grants.map((entry) => [entry.courseId, entry]));
    expect([...byCourse.keys()].sort()).toEqual([one.id, two.id].sort());
    expect(byCourse.get(one.id)).toMatchObject({
      title: one.title,
      slug: one.slug,
      status: "published",
      grantedAt: "2026-05-01T00:00:00.000Z",
    });
    expect([...(byCourse.get(one.id)?.via ?? [])].sort()).toEqual(["free_enrollment", "purchase"]);
    expect(byCourse.get(two.id)?.via).toEqual(["integrator"]);

    await pool.query(
      "insert into courses.subscription_access (subscription_id, user_id, ends_at) values ($1, $2, null)",
      [uuidv7(), userId],
    );
    expect((await readLearnerCourses(db, userId)).subscribed).toBe(true);
  });

  it("an ended subscription opens nothing", async () => {
    const { userId } = principal("learner");
    await pool.query(
      "insert into courses.subscription_access (subscription_id, user_id, ends_at) values ($1, $2, now() - interval '1 day')",
      [uuidv7(), userId],
    );
    expect(await readLearnerCourses(db, userId)).toEqual({ grants: [], subscribed: false });
  });
});
