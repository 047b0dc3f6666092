import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { principal, type Principal } from "../../../test/support/in-process.ts";
import type { CourseProgressView } from "../src/course-progress.ts";
import type { MyLearningPage } from "../src/my-learning.ts";
import { database, progressApp } from "./support/progress-app.ts";
import { the } from "./support/the.ts";

/**
 * Reading progress: one course (`GET /api/progress/courses/{courseId}`) and "my learning"
 * (`GET /api/progress/me`), against the real schema with a courses stand-in.
 */
const { client, courses } = progressApp();
afterAll(() => database.end());

const record = (lessonId: string, as: Principal, body: unknown) =>
  client.request("POST", `/api/progress/lessons/${lessonId}`, { as, body });
const courseProgress = (courseId: string, as: Principal) =>
  client.request<CourseProgressView>("GET", `/api/progress/courses/${courseId}`, { as });
const myLearning = (as: Principal, query = "") =>
  client.request<MyLearningPage>("GET", `/api/progress/me${query}`, { as });

describe("one course", () => {
  it("shows each lesson's state and position, the percent and the next lesson", async () => {
    const course = courses.course([{}, { kind: "text" }, {}, {}]);
    const learner = principal("learner");
    courses.grant(learner.userId, course);
    const [first, second, third] = course.lessons;
    await record(the(first).id, learner, { event: "completed" });
    await record(the(third).id, learner, { event: "position", positionSeconds: 77.25 });

    const read = await courseProgress(course.id, learner);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      courseId: course.id,
      title: course.title,
      slug: course.slug,
      percent: 25,
      requiredLessons: 4,
      completedLessons: 1,
      completedAt: null,
      nextLesson: { lessonId: the(second).id, title: the(second).title, position: 1, positionSeconds: null },
    });
    expect(read.body.startedAt).not.toBeNull();
    expect(read.body.lessons.map((lesson) => [lesson.state, lesson.positionSeconds])).toEqual([
      ["completed", null],
      ["not-started", null],
      ["viewed", 77.25],
      ["not-started", null],
    ]);
    expect(read.body.lessons[1]).toMatchObject({ kind: "text", durationSeconds: null, required: true });
  });

  it("is one statement, and opens no PostgreSQL session", async () => {
    const course = courses.course([{}]);
    const learner = principal("learner");
    courses.grant(learner.userId, course);
    await record(the(course.lessons[0]).id, learner, { event: "viewed" });
    expect((await courseProgress(course.id, learner)).db).toEqual({ queries: 1, sessions: 0 });
  });

  it("a course never touched is read from courses once, then from the projection", async () => {
    const course = courses.course([{}, {}]);
    const learner = principal("learner");
    const reads = courses.outlineReads;
    const first = await courseProgress(course.id, learner);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      percent: 0,
      startedAt: null,
      nextLesson: { lessonId: the(course.lessons[0]).id },
    });
    expect(first.db?.sessions).toBe(0);
    await courseProgress(course.id, learner);
    expect(courses.outlineReads - reads).toBe(1);
  });

  it("every lesson done: no next lesson", async () => {
    const course = courses.course([{}]);
    const learner = principal("learner");
    courses.grant(learner.userId, course);
    await record(the(course.lessons[0]).id, learner, { event: "completed" });
    const read = await courseProgress(course.id, learner);
    expect(read.body).toMatchObject({ percent: 100, nextLesson: null });
    expect(read.body.completedAt).not.toBeNull();
  });

  it("another learner's progress is not shown", async () => {
    const course = courses.course([{}]);
    const learner = principal("learner");
    courses.grant(learner.userId, course);
    await record(the(course.lessons[0]).id, learner, { event: "completed" });
    const other = await courseProgress(course.id, principal("learner"));
    expect(other.body).toMatchObject({ percent: 0, completedAt: null, startedAt: null });
    expect(the(other.body.lessons[0]).state).toBe("not-started");
  });

  it("an unknown or draft course answers 404, an invalid id 400", async () => {
    const learner = principal("learner");
    expect((await courseProgress(uuidv7(), learner)).status).toBe(404);
    expect((await courseProgress(courses.course([{}], "draft").id, learner)).status).toBe(404);
    const invalid = await courseProgress("nope", learner);
    expect(invalid.status).toBe(400);
    expect((invalid.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual(["param.courseId"]);
  });
});

describe("my learning", () => {
  it("lists every granted course with percent and next lesson, the most recent activity first", async () => {
    const learner = principal("learner");
    const bought = courses.course([{}, {}]);
    const free = courses.course([{}, {}, {}, {}]);
    const untouched = courses.course([{}]);
    courses.grant(learner.userId, bought, "purchase", new Date(Date.now() - 3_000));
    courses.grant(learner.userId, free, "free_enrollment", new Date(Date.now() - 2_000));
    courses.grant(learner.userId, untouched, "integrator", new Date(Date.now() - 1_000));
    await record(the(free.lessons[0]).id, learner, { event: "completed" });
    await record(the(bought.lessons[0]).id, learner, { event: "completed" });
    await record(the(bought.lessons[1]).id, learner, { event: "position", positionSeconds: 9 });

    const page = await myLearning(learner);
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items.map((item) => item.courseId)).toEqual([bought.id, free.id, untouched.id]);
    expect(page.body.items[0]).toMatchObject({
      title: bought.title,
      slug: bought.slug,
      via: ["purchase"],
      percent: 50,
      nextLesson: { lessonId: the(bought.lessons[1]).id, positionSeconds: 9 },
    });
    expect(page.body.items[1]).toMatchObject({ via: ["free_enrollment"], percent: 25, completedLessons: 1 });
    expect(page.body.items[2]).toMatchObject({
      via: ["integrator"],
      percent: 0,
      lastActivityAt: null,
      nextLesson: { lessonId: the(untouched.lessons[0]).id },
    });
  });

  it("a refund hides the course but keeps its history", async () => {
    const learner = principal("learner");
    const course = courses.course([{}, {}]);
    courses.grant(learner.userId, course);
    await record(the(course.lessons[0]).id, learner, { event: "completed" });
    courses.revoke(learner.userId, course);
    expect((await myLearning(learner)).body.items).toEqual([]);
    const history = await courseProgress(course.id, learner);
    expect(history.body).toMatchObject({ percent: 50, completedLessons: 1 });
  });

  it("a subscriber's list holds the courses they started, and loses them when the subscription ends", async () => {
    const subscriber = principal("learner");
    courses.subscribers.add(subscriber.userId);
    const started = courses.course([{}, {}]);
    courses.course([{}]);
    await record(the(started.lessons[0]).id, subscriber, { event: "viewed" });
    const page = await myLearning(subscriber);
    expect(page.body.items.map((item) => [item.courseId, item.via, item.title])).toEqual([
      [started.id, ["subscription"], started.title],
    ]);
    courses.subscribers.delete(subscriber.userId);
    expect((await myLearning(subscriber)).body.items).toEqual([]);
  });

  it("a preview viewed without access is not in the list", async () => {
    const visitor = principal("learner");
    const course = courses.course([{ isPreview: true }, {}]);
    expect((await record(the(course.lessons[0]).id, visitor, { event: "viewed" })).status).toBe(200);
    expect((await myLearning(visitor)).body.items).toEqual([]);
  });

  it("pages with a cursor, without repeats or gaps", async () => {
    const learner = principal("learner");
    const granted = Array.from({ length: 5 }, (_, index) => {
      const course = courses.course([{}]);
      courses.grant(learner.userId, course, "purchase", new Date(Date.now() - 10_000 + index));
      return course;
    });
    const seen: string[] = [];
    let query = "?limit=2";
    for (let pages = 0; pages < 5; pages++) {
      const page = await myLearning(learner, query);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.courseId));
      if (!page.body.nextCursor) break;
      query = `?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`;
    }
    expect(seen).toEqual(granted.map((course) => course.id).reverse());
  });

  it("a cursor it did not give out answers 400 naming it", async () => {
    const learner = principal("learner");
    for (const cursor of ["garbage", btoa("2026-01-01T00:00:00.000Z|not-a-uuid"), btoa(`1|${uuidv7()}`)]) {
      const refused = await myLearning(learner, `?cursor=${encodeURIComponent(cursor)}`);
      expect(refused.status, cursor).toBe(400);
      expect((refused.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual(["query.cursor"]);
    }
    expect((await myLearning(learner, "?limit=0")).status).toBe(400);
  });

  it("a granted course progress has never seen is read from courses, and the list is still one session-free read", async () => {
    const learner = principal("learner");
    const course = courses.course([{}, {}]);
    courses.grant(learner.userId, course);
    const page = await myLearning(learner);
    expect(page.body.items[0]).toMatchObject({ courseId: course.id, requiredLessons: 2 });
    expect(page.db?.sessions).toBe(0);
    expect((await myLearning(learner)).db).toEqual({ queries: 1, sessions: 0 });
  });

  it("an unreachable courses service answers 503", async () => {
    courses.reachable = false;
    try {
      expect((await myLearning(principal("learner"))).status).toBe(503);
    } finally {
      courses.reachable = true;
    }
  });
});
