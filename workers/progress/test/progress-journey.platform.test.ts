import { describe, expect, it } from "vitest";
import { DEMO_COURSES } from "@platform/dev-stack";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { the } from "./support/the.ts";
import type { CourseProgressView } from "../src/course-progress.ts";
import type { MyLearningPage } from "../src/my-learning.ts";

/**
 * The seed's second journey over HTTP through the gateway, with the real courses worker deciding
 * access and telling the lessons: enroll in the demo's free course → "my learning" lists it →
 * view, position (resumed on a second device), complete every lesson → LESSON_COMPLETED for each
 * and COURSE_COMPLETED once in the outbox, delivered over the Queue (courses marks the enrollment
 * completed; progress's own certificate is certificates*.test.ts's).
 */

const freeCourse = DEMO_COURSES.find((course) => course.price === null);
if (!freeCourse) throw new Error("the demo data has no free course");
const paidCourse = DEMO_COURSES.find((course) => course.price !== null);
if (!paidCourse) throw new Error("the demo data has no paid course");

type LessonAnswer = {
  state: string;
  positionSeconds: number | null;
  course: { percent: number; completedAt: string | null };
};

/** The same learner signed in twice: two devices, each with its own session. */
async function learnerOnTwoDevices(tag: string): Promise<[Person, Person]> {
  const session = await registerAndLogin(tag);
  const second = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  expect(second.status).toBe(200);
  return [
    { userId: session.userId, token: session.tokens.accessToken },
    { userId: session.userId, token: second.body.accessToken },
  ];
}

const record = (device: Person, lessonId: string, body: unknown) =>
  api<LessonAnswer>("POST", `/api/progress/lessons/${lessonId}`, { token: device.token, body });

const outboxOf = async (userId: string) =>
  (
    await db.query<{ id: string; type: string; confirmed: boolean }>(
      "select id, type, confirmed_at is not null as confirmed from progress.outbox where envelope->'data'->>'userId' = $1 order by seq",
      [userId],
    )
  ).rows;

describe("learn: the second journey", () => {
  it("enroll, resume on a second device, complete every lesson: COURSE_COMPLETED once, delivered", async () => {
    const [laptop, phone] = await learnerOnTwoDevices("progress-journey");
    const [first, second] = freeCourse.lessons;

    expect((await api("POST", `/api/courses/${freeCourse.id}/enroll`, { token: laptop.token })).status).toBe(201);

    // "My learning" lists the free enrollment (nothing listed free enrollments before).
    const listed = await api<MyLearningPage>("GET", "/api/progress/me", { token: phone.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        courseId: freeCourse.id,
        title: freeCourse.title,
        slug: freeCourse.slug,
        via: ["free_enrollment"],
        percent: 0,
        nextLesson: expect.objectContaining({ lessonId: the(first).id }),
      }),
    ]);

    // Resume: the laptop stops at 42.5 s, the phone picks up there and moves on, the laptop sees that.
    expect((await record(laptop, the(first).id, { event: "viewed" })).status).toBe(200);
    expect(
      (await record(laptop, the(first).id, { event: "position", positionSeconds: 42.5 })).body.positionSeconds,
    ).toBe(42.5);
    const onPhone = await api<CourseProgressView>("GET", `/api/progress/courses/${freeCourse.id}`, {
      token: phone.token,
    });
    expect(onPhone.body.nextLesson).toMatchObject({ lessonId: the(first).id, positionSeconds: 42.5 });
    await record(phone, the(first).id, { event: "position", positionSeconds: 61 });
    const onLaptop = await api<CourseProgressView>("GET", `/api/progress/courses/${freeCourse.id}`, {
      token: laptop.token,
    });
    expect(onLaptop.body.lessons[0]).toMatchObject({ state: "viewed", positionSeconds: 61 });

    // Complete every lesson, one per device.
    const done = [
      await record(laptop, the(first).id, { event: "completed" }),
      await record(phone, the(second).id, { event: "completed" }),
    ];
    expect(done.map((answer) => answer.status)).toEqual([200, 200]);
    expect(the(done[1]).body.course.percent).toBe(100);
    const completedAt = the(done[1]).body.course.completedAt;
    expect(completedAt).not.toBeNull();
    // Again, from the other device: nothing changes.
    expect((await record(laptop, the(second).id, { event: "completed" })).body.course.completedAt).toBe(completedAt);

    const events = await outboxOf(laptop.userId);
    expect(events.map((event) => event.type)).toEqual([
      "LESSON_VIEWED",
      "LESSON_COMPLETED",
      "LESSON_VIEWED",
      "LESSON_COMPLETED",
      "COURSE_COMPLETED",
    ]);

    // Over the Queue: courses applies COURSE_COMPLETED (the author's completion counts), and the
    // lesson events, which no worker subscribes to, are confirmed delivered.
    await expect
      .poll(
        async () =>
          (
            await db.query(
              "select 1 from courses.enrollments where user_id = $1 and course_id = $2 and completed_at is not null",
              [laptop.userId, freeCourse.id],
            )
          ).rowCount,
        { ...ASYNC_EFFECTS, message: "courses never applied COURSE_COMPLETED" },
      )
      .toBe(1);
    await expect
      .poll(
        async () =>
          (await outboxOf(laptop.userId))
            .filter((event) => event.type !== "COURSE_COMPLETED")
            .every((event) => event.confirmed),
        { ...ASYNC_EFFECTS, message: "the lesson events were never confirmed delivered" },
      )
      .toBe(true);

    const after = await api<MyLearningPage>("GET", "/api/progress/me", { token: laptop.token });
    expect(after.body.items[0]).toMatchObject({ courseId: freeCourse.id, percent: 100, completedAt, nextLesson: null });
  });

  it("access comes from the real courses service: a stranger may preview but not record the rest", async () => {
    const session = await registerAndLogin("progress-stranger");
    const stranger = { userId: session.userId, token: session.tokens.accessToken };
    const preview = paidCourse.lessons.find((lesson) => lesson.isPreview);
    const locked = paidCourse.lessons.find((lesson) => !lesson.isPreview);
    expect((await record(stranger, the(preview).id, { event: "viewed" })).status).toBe(200);
    const refused = await record(stranger, the(locked).id, { event: "viewed" });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await api<MyLearningPage>("GET", "/api/progress/me", { token: stranger.token })).body.items).toEqual([]);
  });

  it("bad input through the gateway: 401 anonymous, 404 unknown lesson, 400 negative position", async () => {
    const session = await registerAndLogin("progress-bad-input");
    const learner = { userId: session.userId, token: session.tokens.accessToken };
    const lessonId = the(freeCourse.lessons[0]).id;
    expect((await api("POST", `/api/progress/lessons/${lessonId}`, { body: { event: "viewed" } })).status).toBe(401);
    expect((await record(learner, "01a21526-ffff-7fff-bfff-ffffffffffff", { event: "viewed" })).status).toBe(404);
    const negative = await api<{ errors: { path: string }[] }>("POST", `/api/progress/lessons/${lessonId}`, {
      token: learner.token,
      body: { event: "position", positionSeconds: -3 },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((error) => error.path)).toEqual(["json.positionSeconds"]);
  });

  it("a course published and then changed reaches progress's outline through the Queue", async () => {
    const author = await instructor("progress-outline-author");
    const course = await publishedCourse(author);
    const lessonCount = async () =>
      Number(
        (await db.query("select count(*) from progress.course_lessons where course_id = $1", [course.id])).rows[0]
          .count,
      );
    await expect.poll(lessonCount, { ...ASYNC_EFFECTS, message: "COURSE_PUBLISHED never projected" }).toBe(3);
    const added = await api("POST", `/api/courses/${course.id}/lessons`, {
      token: author.token,
      body: { title: "Added later", kind: "text", bodyMarkdown: "More." },
    });
    expect(added.status).toBe(201);
    await expect.poll(lessonCount, { ...ASYNC_EFFECTS, message: "COURSE_UPDATED never re-read" }).toBe(4);
  });
});
