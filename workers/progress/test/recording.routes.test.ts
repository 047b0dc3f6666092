import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { principal } from "../../../test/support/in-process.ts";
import { database, eventsOf, progressApp, typesOf } from "./support/progress-app.ts";
import { the } from "./support/the.ts";

/**
 * Recording progress (`POST /api/progress/lessons/{lessonId}`) against the real progress schema:
 * what is refused and why, what each kind of update writes and emits, and what it costs.
 */
const { client, courses, hubs } = progressApp();
afterAll(() => database.end());

interface LessonProgress {
  lessonId: string;
  courseId: string;
  state: string;
  positionSeconds: number | null;
  firstViewedAt: string | null;
  completedAt: string | null;
  course: { percent: number; completedAt: string | null };
}

const record = (lessonId: string, as: ReturnType<typeof principal>, body: unknown) =>
  client.request<LessonProgress>("POST", `/api/progress/lessons/${lessonId}`, { as, body });

const fieldPaths = (body: unknown) => ((body as ProblemDetails).errors ?? []).map((error) => error.path);

/** A learner holding a grant of a fresh course with these lessons. */
function enrolled(lessons = [{}, {}, {}]) {
  const course = courses.course(lessons);
  const learner = principal("learner");
  courses.grant(learner.userId, course);
  return { course, learner, lessons: course.lessons };
}

describe("bad input", () => {
  const { lessons, learner } = enrolled([{ durationSeconds: 120 }, { kind: "text" }]);
  const [video, text] = lessons;

  it.each([
    ["a negative position", { event: "position", positionSeconds: -1 }],
    ["a position that is not a number", { event: "position", positionSeconds: "12" }],
    ["a position as null", { event: "position", positionSeconds: null }],
    ["a position update without one", { event: "position" }],
  ])("%s answers 400 naming json.positionSeconds", async (_case, body) => {
    const refused = await record(the(video).id, learner, body);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(fieldPaths(refused.body)).toEqual(["json.positionSeconds"]);
  });

  it("a position past the video's duration answers 400 naming the field, and nothing is written", async () => {
    const refused = await record(the(video).id, learner, { event: "position", positionSeconds: 120.5 });
    expect(refused.status).toBe(400);
    expect(fieldPaths(refused.body)).toEqual(["json.positionSeconds"]);
    expect((refused.body as unknown as ProblemDetails).errors?.[0]?.message).toContain("120");
    const { rowCount } = await database.query("select 1 from progress.lesson_progress where user_id = $1", [
      learner.userId,
    ]);
    expect(rowCount).toBe(0);
    // Exactly the duration is the end of the video, and fine.
    expect((await record(the(video).id, learner, { event: "position", positionSeconds: 120 })).status).toBe(200);
  });

  it("a lesson of unknown length takes any position up to the cap", async () => {
    expect((await record(the(text).id, learner, { event: "position", positionSeconds: 5000 })).status).toBe(200);
    const capped = await record(the(text).id, learner, { event: "position", positionSeconds: 10_000_000 });
    expect(fieldPaths(capped.body)).toEqual(["json.positionSeconds"]);
  });

  it("an unknown event, a body that is not JSON, and a lesson id that is not a UUID answer 400", async () => {
    expect(fieldPaths((await record(the(video).id, learner, { event: "finished" })).body)).toEqual(["json.event"]);
    expect((await record(the(video).id, learner, "{not json")).status).toBe(400);
    const badId = await client.request("POST", "/api/progress/lessons/not-a-uuid", {
      as: learner,
      body: { event: "viewed" },
    });
    expect(fieldPaths(badId.body)).toEqual(["param.lessonId"]);
  });

  it("an unknown lesson answers 404", async () => {
    const missing = await record(uuidv7(), learner, { event: "viewed" });
    expect(missing.status).toBe(404);
    expect((missing.body as unknown as ProblemDetails).type).toBe("/problems/not-found");
  });

  it("a lesson of a draft course is unknown (404): nobody learns from a draft", async () => {
    const draft = courses.course([{}], "draft");
    expect((await record(the(draft.lessons[0]).id, learner, { event: "viewed" })).status).toBe(404);
  });
});

describe("access", () => {
  it("a lesson of a course without access answers 403 and writes nothing", async () => {
    const course = courses.course([{}, {}]);
    const stranger = principal("learner");
    const refused = await record(the(course.lessons[0]).id, stranger, { event: "completed" });
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as ProblemDetails).detail).toMatch(/no access/);
    expect(await typesOf(stranger.userId)).toEqual([]);
  });

  it("access is asked of courses: a learner who holds it through a subscription records", async () => {
    const course = courses.course([{}]);
    const subscriber = principal("learner");
    courses.subscribers.add(subscriber.userId);
    expect((await record(the(course.lessons[0]).id, subscriber, { event: "viewed" })).status).toBe(200);
  });

  it("a free preview may be recorded by anyone signed in, and the others still may not", async () => {
    const course = courses.course([{ isPreview: true }, {}]);
    const visitor = principal("learner");
    const previewed = await record(the(course.lessons[0]).id, visitor, { event: "completed" });
    expect(previewed.status).toBe(200);
    expect(previewed.body.state).toBe("completed");
    expect((await record(the(course.lessons[1]).id, visitor, { event: "viewed" })).status).toBe(403);
  });

  it("access checked on every update: after a refund the next position update is refused", async () => {
    const { course, learner, lessons } = enrolled([{}]);
    expect((await record(the(lessons[0]).id, learner, { event: "viewed" })).status).toBe(200);
    courses.revoke(learner.userId, course);
    expect((await record(the(lessons[0]).id, learner, { event: "position", positionSeconds: 30 })).status).toBe(403);
  });

  it("an unreachable courses service answers 503 with Retry-After, and nothing is written", async () => {
    const { learner, lessons } = enrolled([{}]);
    courses.reachable = false;
    try {
      const answer = await record(the(lessons[0]).id, learner, { event: "completed" });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
    } finally {
      courses.reachable = true;
    }
    expect(await typesOf(learner.userId)).toEqual([]);
  });
});

describe("views and positions", () => {
  it("the first view emits LESSON_VIEWED once; later views and positions emit nothing but are kept", async () => {
    const { learner, lessons } = enrolled();
    const lesson = the(lessons[0]);
    const first = await record(lesson.id, learner, { event: "viewed", positionSeconds: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      state: "viewed",
      positionSeconds: 0,
      completedAt: null,
      course: { percent: 0 },
    });
    expect(await record(lesson.id, learner, { event: "viewed" })).toMatchObject({ status: 200 });
    for (const seconds of [10, 20.5, 31]) {
      const moved = await record(lesson.id, learner, { event: "position", positionSeconds: seconds });
      expect(moved.body.positionSeconds).toBe(seconds);
      expect(moved.body.state).toBe("viewed");
    }
    const events = await eventsOf(learner.userId);
    expect(events.map((event) => event.type)).toEqual(["LESSON_VIEWED"]);
    expect(the(events[0]).data).toMatchObject({ lessonId: lesson.id, positionSeconds: 0 });
    const { rows } = await database.query("select position_seconds from progress.lesson_progress where user_id = $1", [
      learner.userId,
    ]);
    expect(rows).toEqual([{ position_seconds: 31 }]);
  });

  it("a position before any view counts as the first view", async () => {
    const { learner, lessons } = enrolled();
    const moved = await record(the(lessons[1]).id, learner, { event: "position", positionSeconds: 42 });
    expect(moved.body).toMatchObject({ state: "viewed", positionSeconds: 42 });
    expect(await typesOf(learner.userId)).toEqual(["LESSON_VIEWED"]);
  });

  it("a position update on a viewed lesson is one statement and opens no PostgreSQL session", async () => {
    const { learner, lessons } = enrolled();
    const first = await record(the(lessons[0]).id, learner, { event: "viewed" });
    expect(first.db?.sessions, "a first view is a transaction").toBe(1);
    const moved = await record(the(lessons[0]).id, learner, { event: "position", positionSeconds: 12 });
    // The lesson and the learner's row on it, then the update with the course's percent.
    expect(moved.db).toEqual({ queries: 2, sessions: 0 });
  });

  it("the course row keeps the first activity and follows the last one", async () => {
    const { course, learner, lessons } = enrolled();
    await record(the(lessons[0]).id, learner, { event: "viewed" });
    const started = await database.query(
      "select started_at, last_activity_at, last_lesson_id from progress.course_progress where user_id = $1 and course_id = $2",
      [learner.userId, course.id],
    );
    await record(the(lessons[1]).id, learner, { event: "viewed" });
    await record(the(lessons[1]).id, learner, { event: "position", positionSeconds: 5 });
    const later = await database.query(
      "select started_at, last_activity_at, last_lesson_id, enrolled_at from progress.course_progress where user_id = $1 and course_id = $2",
      [learner.userId, course.id],
    );
    expect(later.rows[0].started_at).toEqual(started.rows[0].started_at);
    expect(later.rows[0].last_activity_at.getTime()).toBeGreaterThanOrEqual(started.rows[0].last_activity_at.getTime());
    expect(later.rows[0].last_lesson_id).toBe(the(lessons[1]).id);
    expect(later.rows[0].enrolled_at, "recording under access makes the learner enrolled").not.toBeNull();
  });
});

describe("completion", () => {
  it("each lesson's first completion emits LESSON_COMPLETED; the last one COURSE_COMPLETED, once", async () => {
    const { course, learner, lessons } = enrolled();
    const answers = [];
    for (const lesson of lessons) answers.push(await record(lesson.id, learner, { event: "completed" }));
    expect(answers.map((answer) => answer.body.course.percent)).toEqual([33, 66, 100]);
    expect(answers.map((answer) => answer.body.course.completedAt === null)).toEqual([true, true, false]);

    const types = await typesOf(learner.userId);
    expect(types.filter((type) => type === "LESSON_VIEWED")).toHaveLength(3);
    expect(types.filter((type) => type === "LESSON_COMPLETED")).toHaveLength(3);
    expect(types.filter((type) => type === "COURSE_COMPLETED")).toHaveLength(1);
    expect(types.at(-1)).toBe("COURSE_COMPLETED");
    const completed = (await eventsOf(learner.userId)).find((event) => event.type === "COURSE_COMPLETED");
    expect(completed?.data).toEqual({
      userId: learner.userId,
      courseId: course.id,
      completedAt: the(answers[2]).body.course.completedAt,
    });
  });

  it("completing a completed lesson changes nothing, emits nothing and pushes nothing", async () => {
    const { learner, lessons } = enrolled([{}, {}]);
    const first = await record(the(lessons[0]).id, learner, { event: "completed", positionSeconds: 600 });
    const eventsBefore = await typesOf(learner.userId);
    const pushesBefore = hubs.messagesOf(learner.userId).length;
    const again = await record(the(lessons[0]).id, learner, { event: "completed" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await typesOf(learner.userId)).toEqual(eventsBefore);
    expect(hubs.messagesOf(learner.userId)).toHaveLength(pushesBefore);
  });

  it("completing every lesson of a completed course again writes nothing at all", async () => {
    const { learner, lessons } = enrolled([{}]);
    await record(the(lessons[0]).id, learner, { event: "completed" });
    const again = await record(the(lessons[0]).id, learner, { event: "completed" });
    expect(again.db, "read-only: no transaction").toMatchObject({ sessions: 0 });
    expect((await typesOf(learner.userId)).filter((type) => type === "COURSE_COMPLETED")).toHaveLength(1);
  });

  it("a lesson added after completion lowers the percent but keeps the completion, and emits nothing more", async () => {
    const { course, learner, lessons } = enrolled([{}, {}]);
    for (const lesson of lessons) await record(lesson.id, learner, { event: "completed" });
    const completedAt = (await record(the(lessons[0]).id, learner, { event: "completed" })).body.course.completedAt;
    expect(completedAt).not.toBeNull();

    const added = courses.addLesson(course);
    const viewed = await record(added.id, learner, { event: "viewed" });
    expect(viewed.body.course).toEqual({ percent: 66, completedAt });
    const finished = await record(added.id, learner, { event: "completed" });
    expect(finished.body.course).toEqual({ percent: 100, completedAt });
    expect((await typesOf(learner.userId)).filter((type) => type === "COURSE_COMPLETED")).toHaveLength(1);
  });
});

describe("live", () => {
  it("pushes progress, lesson-completed and course-completed to the learner, in order", async () => {
    const { course, learner, lessons } = enrolled([{}]);
    await record(the(lessons[0]).id, learner, { event: "position", positionSeconds: 15 });
    await record(the(lessons[0]).id, learner, { event: "completed" });
    const messages = hubs.messagesOf(learner.userId);
    expect(messages.map((message) => message.type)).toEqual([
      "progress",
      "progress",
      "lesson-completed",
      "course-completed",
    ]);
    expect(messages[0]).toEqual({
      type: "progress",
      courseId: course.id,
      lessonId: the(lessons[0]).id,
      state: "viewed",
      positionSeconds: 15,
      percent: 0,
    });
    expect(messages[3]).toMatchObject({ type: "course-completed", courseId: course.id });
    expect(typeof the(messages[3]).completedAt).toBe("string");
  });

  it("a hub that cannot be reached fails no write", async () => {
    const { learner, lessons } = enrolled([{}]);
    hubs.failing = true;
    try {
      const answer = await record(the(lessons[0]).id, learner, { event: "completed" });
      expect(answer.status).toBe(200);
      expect(answer.body.course.completedAt).not.toBeNull();
    } finally {
      hubs.failing = false;
    }
    expect(await typesOf(learner.userId)).toContain("COURSE_COMPLETED");
  });
});
