import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { databaseBindings } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import { progressRecords } from "../src/progress-records.ts";

/**
 * `progressRecords` (the progress worker's `ProgressRpc.progressRecords`, for the users export) against the real
 * progress schema: rows written behind its back with node-postgres, read through the Neon driver as the worker
 * reads them. Every stored fact about the learner comes back, titles from the outline projection when there is
 * one, and nothing of another learner in the same course.
 */
const sql = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
afterAll(async () => {
  await database.close();
  await sql.end();
});

const course = uuidv7();
const lessons = [uuidv7(), uuidv7()] as const;
/** A lesson the course has since dropped: its progress stays, without a title. */
const droppedLesson = uuidv7();
/** A course progress knows of only through an enrollment (no outline projected yet). */
const unprojectedCourse = uuidv7();
const learner = uuidv7();
const other = uuidv7();
const certificateId = uuidv7();
const otherCertificateId = uuidv7();

beforeAll(async () => {
  await sql.query("insert into progress.course_outlines (course_id, title, slug) values ($1, 'Knots', $2)", [
    course,
    `knots-${course}`,
  ]);
  for (const [position, lesson] of lessons.entries()) {
    await sql.query(
      "insert into progress.course_lessons (lesson_id, course_id, position, title, kind) values ($1, $2, $3, $4, 'video')",
      [lesson, course, position, `Knot ${position + 1}`],
    );
  }
  for (const [userId, name] of [
    [learner, "Lea Learner"],
    [other, "Otto Other"],
  ] as const) {
    await sql.query(
      `insert into progress.course_progress (user_id, course_id, enrolled_at, started_at, last_activity_at, last_lesson_id, completed_at)
       values ($1, $2, '2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z', $3, '2026-01-03T10:00:00Z')`,
      [userId, course, lessons[1]],
    );
    await sql.query(
      `insert into progress.lesson_progress (user_id, lesson_id, course_id, first_viewed_at, completed_at, position_seconds, position_updated_at, updated_at)
       values ($1, $2, $4, '2026-01-02T10:00:00Z', '2026-01-02T11:00:00Z', 61.5, '2026-01-02T10:59:00Z', '2026-01-02T11:00:00Z'),
              ($1, $3, $4, '2026-01-03T09:00:00Z', '2026-01-03T10:00:00Z', null, null, '2026-01-03T10:00:00Z')`,
      [userId, lessons[0], lessons[1], course],
    );
    await sql.query(
      `insert into progress.certificates (id, user_id, course_id, learner_name, course_title, completed_at, issued_at, credential)
       values ($1, $2, $3, $4, 'Knots', '2026-01-03T10:00:00Z', '2026-01-03T10:00:05Z', $5)`,
      [userId === learner ? certificateId : otherCertificateId, userId, course, name, `jwt-of-${name}`],
    );
  }
  await sql.query(
    `insert into progress.lesson_progress (user_id, lesson_id, course_id, first_viewed_at, updated_at)
     values ($1, $2, $3, '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z')`,
    [learner, droppedLesson, course],
  );
  await sql.query(
    "insert into progress.course_progress (user_id, course_id, enrolled_at) values ($1, $2, '2026-02-01T10:00:00Z')",
    [learner, unprojectedCourse],
  );
  await sql.query(
    "update progress.certificates set revoked_at = '2026-03-01T10:00:00Z', revoked_reason = 'Issued in error' where id = $1",
    [certificateId],
  );
});

describe("progressRecords", () => {
  it("gives back every course, lesson and certificate the learner has, as stored", async () => {
    const records = await progressRecords(database.db, learner);
    expect(records.courses).toEqual([
      {
        courseId: course,
        courseTitle: "Knots",
        enrolledAt: "2026-01-01T10:00:00.000Z",
        startedAt: "2026-01-02T10:00:00.000Z",
        lastActivityAt: "2026-01-03T10:00:00.000Z",
        lastLessonId: lessons[1],
        completedAt: "2026-01-03T10:00:00.000Z",
      },
      {
        courseId: unprojectedCourse,
        courseTitle: null,
        enrolledAt: "2026-02-01T10:00:00.000Z",
        startedAt: null,
        lastActivityAt: null,
        lastLessonId: null,
        completedAt: null,
      },
    ]);
    expect(records.lessons).toEqual([
      {
        lessonId: lessons[0],
        courseId: course,
        lessonTitle: "Knot 1",
        firstViewedAt: "2026-01-02T10:00:00.000Z",
        completedAt: "2026-01-02T11:00:00.000Z",
        positionSeconds: 61.5,
        positionUpdatedAt: "2026-01-02T10:59:00.000Z",
        updatedAt: "2026-01-02T11:00:00.000Z",
      },
      {
        lessonId: lessons[1],
        courseId: course,
        lessonTitle: "Knot 2",
        firstViewedAt: "2026-01-03T09:00:00.000Z",
        completedAt: "2026-01-03T10:00:00.000Z",
        positionSeconds: null,
        positionUpdatedAt: null,
        updatedAt: "2026-01-03T10:00:00.000Z",
      },
      // Lessons in a course's order; one no longer in the outline comes last, untitled but kept.
      {
        lessonId: droppedLesson,
        courseId: course,
        lessonTitle: null,
        firstViewedAt: "2026-01-01T12:00:00.000Z",
        completedAt: null,
        positionSeconds: null,
        positionUpdatedAt: null,
        updatedAt: "2026-01-01T12:00:00.000Z",
      },
    ]);
    expect(records.certificates).toEqual([
      {
        id: certificateId,
        courseId: course,
        courseTitle: "Knots",
        learnerName: "Lea Learner",
        completedAt: "2026-01-03T10:00:00.000Z",
        issuedAt: "2026-01-03T10:00:05.000Z",
        revokedAt: "2026-03-01T10:00:00.000Z",
        revokedReason: "Issued in error",
        credentialJwt: "jwt-of-Lea Learner",
      },
    ]);
  });

  it("another learner's rows in the same course never appear", async () => {
    const [mine, theirs] = await Promise.all([
      progressRecords(database.db, learner),
      progressRecords(database.db, other),
    ]);
    const serialised = JSON.stringify(mine);
    expect(serialised).not.toContain(otherCertificateId);
    expect(serialised).not.toContain("Otto Other");
    expect(theirs.certificates.map((certificate) => certificate.id)).toEqual([otherCertificateId]);
    expect(theirs.lessons.map((lesson) => lesson.lessonId)).toEqual([...lessons]);
    expect(theirs.courses.map((row) => row.courseId)).toEqual([course]);
  });

  it("someone with no progress gets empty lists, not an error", async () => {
    expect(await progressRecords(database.db, uuidv7())).toEqual({ courses: [], lessons: [], certificates: [] });
  });
});
