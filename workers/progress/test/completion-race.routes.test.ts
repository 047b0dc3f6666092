import { afterAll, describe, expect, it } from "vitest";
import { principal } from "../../../test/support/in-process.ts";
import { database, progressApp, typesOf } from "./support/progress-app.ts";
import { the } from "./support/the.ts";

/**
 * Two devices of one learner at the same moment, against the real PostgreSQL: each request has its
 * own pool and transaction, as two workerd requests would. Run many times, because a race that
 * loses one time in ten passes a single run.
 */
const { client, courses } = progressApp();
afterAll(() => database.end());

const ROUNDS = 20;

const count = (types: string[], type: string) => types.filter((candidate) => candidate === type).length;

function enrolledIn(lessonCount: number) {
  const course = courses.course(Array.from({ length: lessonCount }, () => ({})));
  const learner = principal("learner");
  courses.grant(learner.userId, course);
  return { course, learner, lessons: course.lessons };
}

const complete = (lessonId: string, as: ReturnType<typeof principal>) =>
  client.request<{ course: { completedAt: string | null } }>("POST", `/api/progress/lessons/${lessonId}`, {
    as,
    body: { event: "completed" },
  });

describe("COURSE_COMPLETED exactly once", () => {
  it(`when two devices complete the last two lessons at once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { learner, lessons } = enrolledIn(3);
      expect((await complete(the(lessons[0]).id, learner)).status).toBe(200);
      const answers = await Promise.all([complete(the(lessons[1]).id, learner), complete(the(lessons[2]).id, learner)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

      const types = await typesOf(learner.userId);
      expect(count(types, "COURSE_COMPLETED"), `round ${round}`).toBe(1);
      expect(count(types, "LESSON_COMPLETED"), `round ${round}`).toBe(3);
      // The one that completed the course says so; the other may or may not have seen it, never a different time.
      const times = new Set(answers.map((answer) => answer.body.course.completedAt).filter((time) => time !== null));
      expect(times.size, `round ${round}`).toBe(1);
    }
  });

  it(`when two devices complete the same last lesson at once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { learner, lessons } = enrolledIn(2);
      await complete(the(lessons[0]).id, learner);
      await Promise.all([complete(the(lessons[1]).id, learner), complete(the(lessons[1]).id, learner)]);
      const types = await typesOf(learner.userId);
      expect(count(types, "LESSON_COMPLETED"), `round ${round}`).toBe(2);
      expect(count(types, "LESSON_VIEWED"), `round ${round}`).toBe(2);
      expect(count(types, "COURSE_COMPLETED"), `round ${round}`).toBe(1);
    }
  });

  it(`a first view from two devices at once emits LESSON_VIEWED once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { learner, lessons } = enrolledIn(1);
      const path = `/api/progress/lessons/${the(lessons[0]).id}`;
      const answers = await Promise.all([
        client.request("POST", path, { as: learner, body: { event: "viewed" } }),
        client.request("POST", path, { as: learner, body: { event: "position", positionSeconds: 3 } }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(await typesOf(learner.userId), `round ${round}`).toEqual(["LESSON_VIEWED"]);
    }
  });
});
