import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CourseEditorsRpc } from "@platform/contracts";
import type { DatabaseBindings } from "@platform/db";
import { createDomainApp, type DomainEnv } from "@platform/service-kit";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix } from "../../../test/support/permission-matrix.ts";
import { analyticsRoutes, type AnalyticsBindings } from "../src/analytics/routes.ts";
import type * as schema from "../src/db/schema.ts";
import * as tables from "../src/db/schema.ts";

/**
 * Author analytics against the real progress schema: a course seeded with learners whose every
 * step is known (progress rows written directly, as the progress routes would leave them), and
 * every figure checked, the median and the drop-off lesson included; then who may see them.
 */
const sql = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => sql.end());

/** The courses service's rule behind its contract: the author (an instructor) or an admin may edit. */
const authors = new Map<string, string>();
const courses: { down: boolean } & CourseEditorsRpc = {
  down: false,
  mayEditCourse: async (caller, courseId) => {
    if (courses.down) return { ok: false, code: "unavailable" };
    const authorId = authors.get(courseId);
    if (authorId === undefined) return { ok: false, code: "not-found" };
    const admin = caller.roles.includes("admin");
    return { ok: true, value: admin || (caller.userId === authorId && caller.roles.includes("instructor")) };
  },
};

function appWith(bindings: AnalyticsBindings) {
  const app = createDomainApp<DomainEnv<DatabaseBindings & AnalyticsBindings, typeof schema>, typeof schema>({
    service: "progress",
    schema: tables,
  }).route("/", analyticsRoutes);
  return inProcess(app, bindings);
}
const progress = appWith({ COURSES: courses });

interface Figures {
  courseId: string;
  enrolled: number;
  started: number;
  completed: number;
  completionRate: number | null;
  medianSecondsToComplete: number | null;
  lessons: {
    lessonId: string;
    title: string;
    position: number;
    required: boolean;
    reached: number;
    completed: number;
    stoppedHere: number;
    dropOff: boolean;
  }[];
}

const T0 = Date.parse("2026-10-01T08:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

async function outline(courseId: string, lessonTitles: string[]): Promise<string[]> {
  await sql.query("insert into progress.course_outlines (course_id, title, slug) values ($1, $2, $3)", [
    courseId,
    "Seeded course",
    `seeded-${courseId}`,
  ]);
  const ids: string[] = [];
  for (const [position, title] of lessonTitles.entries()) {
    const lessonId = uuidv7();
    ids.push(lessonId);
    await sql.query(
      "insert into progress.course_lessons (lesson_id, course_id, position, title, kind) values ($1, $2, $3, $4, 'text')",
      [lessonId, courseId, position, title],
    );
  }
  return ids;
}

/** One learner in the course: when they were enrolled, started and completed, and each lesson they touched. */
async function learner(
  courseId: string,
  steps: {
    enrolled?: boolean;
    startedAt?: Date;
    completedAt?: Date;
    lessons?: [lessonId: string, state: "viewed" | "completed"][];
  },
): Promise<string> {
  const userId = uuidv7();
  await sql.query(
    "insert into progress.course_progress (user_id, course_id, enrolled_at, started_at, completed_at) values ($1, $2, $3, $4, $5)",
    [userId, courseId, steps.enrolled === false ? null : at(-3600), steps.startedAt ?? null, steps.completedAt ?? null],
  );
  for (const [lessonId, state] of steps.lessons ?? []) {
    await sql.query(
      "insert into progress.lesson_progress (user_id, lesson_id, course_id, first_viewed_at, completed_at) values ($1, $2, $3, $4, $5)",
      [userId, lessonId, courseId, at(10), state === "completed" ? at(20) : null],
    );
  }
  return userId;
}

const author = principal("instructor");
const courseId = uuidv7();
let lessons: string[] = [];

beforeAll(async () => {
  authors.set(courseId, author.userId);
  lessons = await outline(courseId, ["Welcome", "Foundations", "Practice", "Final project"]);
  const [l0, l1, l2, l3] = lessons as [string, string, string, string];
  const everything: [string, "completed"][] = lessons.map((id) => [id, "completed"]);
  // Four who completed: 100 s, 200 s, 300 s and 1000 s after their first activity. Median: 250 s.
  for (const seconds of [100, 200, 300, 1000]) {
    await learner(courseId, { startedAt: at(0), completedAt: at(seconds), lessons: everything });
  }
  // Four on the way: their furthest lessons are Foundations (two), Welcome, and Practice (one who skipped Foundations).
  await learner(courseId, {
    startedAt: at(0),
    lessons: [
      [l0, "completed"],
      [l1, "viewed"],
    ],
  });
  await learner(courseId, {
    startedAt: at(0),
    lessons: [
      [l0, "viewed"],
      [l1, "viewed"],
    ],
  });
  await learner(courseId, { startedAt: at(0), lessons: [[l0, "viewed"]] });
  await learner(courseId, {
    startedAt: at(0),
    lessons: [
      [l0, "completed"],
      [l2, "viewed"],
    ],
  });
  // Two enrolled who never started, and a subscriber who is only here because of a lesson since deleted.
  await learner(courseId, {});
  await learner(courseId, {});
  const deletedLesson = uuidv7();
  await learner(courseId, { enrolled: false, startedAt: at(0), lessons: [[deletedLesson, "completed"]] });
  // Another course's learners count for nothing here.
  const otherCourse = uuidv7();
  const [otherLesson] = await outline(otherCourse, ["Elsewhere"]);
  await learner(otherCourse, { startedAt: at(0), completedAt: at(5), lessons: [[otherLesson as string, "completed"]] });
  void l3;
});

describe("GET /api/progress/courses/{courseId}/analytics: the figures", () => {
  it("counts enrolled, started and completed, the completion rate and the median time to complete", async () => {
    const answer = await progress.request<Figures>("GET", `/api/progress/courses/${courseId}/analytics`, {
      as: author,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    expect(answer.body).toMatchObject({
      courseId,
      enrolled: 11,
      started: 9,
      completed: 4,
      completionRate: 4 / 11,
      // percentile_cont interpolates between the two middle values, 200 s and 300 s.
      medianSecondsToComplete: 250,
    });
    // Two statements, sent together over HTTP: no PostgreSQL session held.
    expect(answer.db).toEqual({ queries: 2, sessions: 0 });
  });

  it("says, per lesson in course order, how many reached, completed and stopped there, and marks the drop-off", async () => {
    const answer = await progress.request<Figures>("GET", `/api/progress/courses/${courseId}/analytics`, {
      as: author,
    });
    expect(answer.body.lessons).toEqual([
      {
        lessonId: lessons[0],
        title: "Welcome",
        position: 0,
        required: true,
        reached: 8,
        completed: 6,
        stoppedHere: 1,
        dropOff: false,
      },
      {
        lessonId: lessons[1],
        title: "Foundations",
        position: 1,
        required: true,
        reached: 6,
        completed: 4,
        stoppedHere: 2,
        dropOff: true,
      },
      {
        lessonId: lessons[2],
        title: "Practice",
        position: 2,
        required: true,
        reached: 5,
        completed: 4,
        stoppedHere: 1,
        dropOff: false,
      },
      {
        lessonId: lessons[3],
        title: "Final project",
        position: 3,
        required: true,
        reached: 4,
        completed: 4,
        stoppedHere: 0,
        dropOff: false,
      },
    ]);
  });

  it("answers zeros, and nulls where a figure has no meaning, for a course nobody has taken", async () => {
    const empty = uuidv7();
    authors.set(empty, author.userId);
    const [only] = await outline(empty, ["Alone"]);
    const answer = await progress.request<Figures>("GET", `/api/progress/courses/${empty}/analytics`, { as: author });
    expect(answer.body).toEqual({
      courseId: empty,
      enrolled: 0,
      started: 0,
      completed: 0,
      completionRate: null,
      medianSecondsToComplete: null,
      lessons: [
        {
          lessonId: only,
          title: "Alone",
          position: 0,
          required: true,
          reached: 0,
          completed: 0,
          stoppedHere: 0,
          dropOff: false,
        },
      ],
    });
  });
});

describe("GET /api/progress/courses/{courseId}/analytics: who may see the figures", () => {
  const callers: Record<string, Principal | undefined> = {
    anonymous: undefined,
    learner: principal("learner"),
    author,
    "another instructor": principal("instructor"),
    admin: principal("admin"),
    // The author's own id without the instructor role (demoted): the courses service's rule says no.
    "demoted author": { userId: author.userId, roles: ["learner"] },
  };

  it("permission matrix: the course's author and admins; 404 for no such course; 400 only for those allowed to ask", async () => {
    await expectPermissionMatrix({
      callers: ["anonymous", "learner", "author", "another instructor", "admin", "demoted author"] as const,
      rows: [
        {
          request: { method: "GET", path: `/api/progress/courses/${courseId}/analytics` },
          expect: {
            anonymous: 401,
            learner: 403,
            author: 200,
            "another instructor": 403,
            admin: 200,
            "demoted author": 403,
          },
        },
        {
          request: { method: "GET", path: `/api/progress/courses/${uuidv7()}/analytics` },
          expect: {
            anonymous: 401,
            learner: 403,
            author: 404,
            "another instructor": 404,
            admin: 404,
            "demoted author": 403,
          },
        },
        {
          request: { method: "GET", path: "/api/progress/courses/not-a-uuid/analytics" },
          expect: {
            anonymous: 401,
            learner: 403,
            author: 400,
            "another instructor": 400,
            admin: 400,
            "demoted author": 403,
          },
        },
      ],
      send: (request, caller) => progress.request(request.method, request.path, { as: callers[caller] }),
    });
  });

  it("answers 503 with Retry-After when the courses service cannot tell, and reads nothing", async () => {
    courses.down = true;
    try {
      const answer = await progress.request("GET", `/api/progress/courses/${courseId}/analytics`, { as: author });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("1");
      expect(answer.db).toBeUndefined();
    } finally {
      courses.down = false;
    }
    const throwing = appWith({
      COURSES: {
        mayEditCourse: () => Promise.reject(new Error("binding gone")),
      },
    });
    expect((await throwing.request("GET", `/api/progress/courses/${courseId}/analytics`, { as: author })).status).toBe(
      503,
    );
  });
});
