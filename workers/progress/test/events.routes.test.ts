import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, it } from "vitest";
import type { EventOutcome } from "@platform/contracts";
import { openDatabase } from "@platform/db";
import { SUBSCRIPTIONS, buildEvent, type EventData, type EventType, type PlatformEvent } from "@platform/events";
import { databaseBindings, principal } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import { PROGRESS_EVENT_HANDLERS, applyEvent, type EventEffects } from "../src/event-handlers.ts";
import { applyOutline } from "../src/outlines.ts";
import { database, progressApp } from "./support/progress-app.ts";
import { the } from "./support/the.ts";

/**
 * The events progress consumes, applied to the real schema: course outlines kept in step with
 * courses (additions, deletions, reorders, late and repeated deliveries), enrollments for the
 * analytics, its own COURSE_COMPLETED handed to certificates, and erasure.
 */
const { client, courses } = progressApp();
const { db, close } = openDatabase(databaseBindings(), schema);
afterAll(async () => {
  await close();
  await database.end();
});

const certificateCalls: string[] = [];
const effects: EventEffects = {
  courses,
  issueCertificate: async (_db, event): Promise<EventOutcome> => {
    certificateCalls.push(event.data.courseId);
    return "applied";
  },
};

const deliver = <T extends EventType>(type: T, data: EventData<T>) =>
  applyEvent(
    db,
    effects,
    buildEvent(type, data, { source: "test", correlationId: `test-${uuidv7()}` }) as PlatformEvent,
  );

const projected = async (courseId: string) =>
  (
    await database.query<{ lesson_id: string; position: number; title: string }>(
      "select lesson_id, position, title from progress.course_lessons where course_id = $1 order by position",
      [courseId],
    )
  ).rows;

const published = (course: { id: string; title: string; slug: string }) =>
  deliver("COURSE_PUBLISHED", {
    courseId: course.id,
    authorId: uuidv7(),
    title: course.title,
    slug: course.slug,
    price: null,
    publishedAt: new Date().toISOString(),
  });

const updated = (courseId: string, changed: string[], status: "draft" | "published" = "published") =>
  deliver("COURSE_UPDATED", { courseId, authorId: uuidv7(), changed, status });

describe("course outlines", () => {
  it("every type progress subscribes to has a handler, and no other", () => {
    expect([...SUBSCRIPTIONS.PROGRESS].sort()).toEqual(Object.keys(PROGRESS_EVENT_HANDLERS).sort());
  });

  it("COURSE_PUBLISHED projects the lessons in order", async () => {
    const course = courses.course([{}, {}, { kind: "text" }]);
    expect(await published(course)).toBe("applied");
    expect((await projected(course.id)).map((row) => row.lesson_id)).toEqual(course.lessons.map((lesson) => lesson.id));
  });

  it("COURSE_UPDATED with lessons re-reads the outline: additions, deletions and a new order are all seen", async () => {
    const course = courses.course([{}, {}, {}]);
    await published(course);
    const [first, second, third] = course.lessons;
    course.lessons = [
      { ...the(third), position: 0 },
      { ...the(first), position: 1, title: "Renamed" },
    ];
    const added = courses.addLesson(course);
    expect(await updated(course.id, ["lessons"])).toBe("applied");
    expect(await projected(course.id)).toEqual([
      { lesson_id: the(third).id, position: 0, title: the(third).title },
      { lesson_id: the(first).id, position: 1, title: "Renamed" },
      { lesson_id: added.id, position: 2, title: added.title },
    ]);
    expect((await projected(course.id)).some((row) => row.lesson_id === the(second).id)).toBe(false);
  });

  it("a deleted lesson no longer counts, while the learner's row on it stays", async () => {
    const course = courses.course([{}, {}]);
    const learner = principal("learner");
    courses.grant(learner.userId, course);
    await client.request("POST", `/api/progress/lessons/${the(course.lessons[1]).id}`, {
      as: learner,
      body: { event: "completed" },
    });
    course.lessons = [the(course.lessons[0])];
    await updated(course.id, ["lessons"]);
    const read = await client.request<{ percent: number; lessons: unknown[] }>(
      "GET",
      `/api/progress/courses/${course.id}`,
      { as: learner },
    );
    expect(read.body).toMatchObject({ percent: 0 });
    expect(read.body.lessons).toHaveLength(1);
    const { rowCount } = await database.query("select 1 from progress.lesson_progress where user_id = $1", [
      learner.userId,
    ]);
    expect(rowCount).toBe(1);
  });

  it("a draft's changes and changes that are not the outline's are ignored, and read nothing", async () => {
    const course = courses.course([{}]);
    const reads = courses.outlineReads;
    expect(await updated(course.id, ["lessons"], "draft")).toBe("ignored");
    expect(await updated(course.id, ["price", "coverImage"])).toBe("ignored");
    expect(courses.outlineReads).toBe(reads);
  });

  it("a copy read earlier than the stored one is dropped, so refreshes finishing out of order keep the newer", async () => {
    const course = courses.course([{}, {}]);
    const older = { ...course, status: "published" as const, readAt: new Date(Date.now() - 60_000).toISOString() };
    await published(course);
    const before = await projected(course.id);
    expect(await applyOutline(db, { ...older, lessons: [] })).toBe(false);
    expect(await projected(course.id)).toEqual(before);
  });

  it("a redelivered event changes nothing more", async () => {
    const course = courses.course([{}, {}]);
    await published(course);
    const once = await projected(course.id);
    await published(course);
    expect(await projected(course.id)).toEqual(once);
  });

  it("a course courses no longer knows (back to draft) is forgotten", async () => {
    const course = courses.course([{}]);
    await published(course);
    course.status = "draft";
    await updated(course.id, ["status"], "published");
    expect(await projected(course.id)).toEqual([]);
  });

  it("an unreachable courses service makes the delivery fail, so the router retries it", async () => {
    const course = courses.course([{}]);
    courses.reachable = false;
    try {
      await expect(published(course)).rejects.toThrow();
    } finally {
      courses.reachable = true;
    }
    expect(await published(course)).toBe("applied");
  });
});

describe("enrollments, completions and erasure", () => {
  const granted = (userId: string, courseId: string, grantedAt: Date) =>
    buildEvent(
      "COURSE_ACCESS_GRANTED",
      { userId, courseId, via: "purchase", reference: uuidv7(), grantedAt: grantedAt.toISOString() },
      { source: "courses", correlationId: "test" },
    );

  it("COURSE_ACCESS_GRANTED keeps the first grant's time, once per event", async () => {
    const { userId } = principal("learner");
    const courseId = uuidv7();
    const later = granted(userId, courseId, new Date("2026-03-02T00:00:00Z"));
    expect(await applyEvent(db, effects, later)).toBe("applied");
    expect(await applyEvent(db, effects, later)).toBe("duplicate");
    await applyEvent(db, effects, granted(userId, courseId, new Date("2026-03-01T00:00:00Z")));
    await applyEvent(db, effects, granted(userId, courseId, new Date("2026-03-05T00:00:00Z")));
    const { rows } = await database.query(
      "select enrolled_at, started_at from progress.course_progress where user_id = $1 and course_id = $2",
      [userId, courseId],
    );
    expect(rows).toEqual([{ enrolled_at: new Date("2026-03-01T00:00:00Z"), started_at: null }]);
  });

  it("COURSE_COMPLETED is handed to certificates", async () => {
    const courseId = uuidv7();
    expect(
      await deliver("COURSE_COMPLETED", { userId: uuidv7(), courseId, completedAt: new Date().toISOString() }),
    ).toBe("applied");
    expect(certificateCalls).toContain(courseId);
  });

  it("USER_DELETED erases the learner's progress and no one else's", async () => {
    const course = courses.course([{}]);
    const [erased, kept] = [principal("learner"), principal("learner")];
    for (const learner of [erased, kept]) {
      courses.grant(learner.userId, course);
      await client.request("POST", `/api/progress/lessons/${the(course.lessons[0]).id}`, {
        as: learner,
        body: { event: "completed" },
      });
    }
    expect(await deliver("USER_DELETED", { userId: erased.userId })).toBe("applied");
    const rows = async (userId: string) =>
      (
        await database.query(
          "select (select count(*) from progress.lesson_progress where user_id = $1)::int as lessons, (select count(*) from progress.course_progress where user_id = $1)::int as courses",
          [userId],
        )
      ).rows[0];
    expect(await rows(erased.userId)).toEqual({ lessons: 0, courses: 0 });
    expect(await rows(kept.userId)).toEqual({ lessons: 1, courses: 1 });
  });
});
