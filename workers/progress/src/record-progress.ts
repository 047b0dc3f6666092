import { and, eq, sql } from "drizzle-orm";
import type { CoursesRpc } from "@platform/contracts";
import { recordEvent } from "@platform/events";
import { ProblemError } from "@platform/http-kit";
import type { Database, Queryable, Transaction } from "./db/database.ts";
import { courseLessons, courseProgress, lessonProgress, outbox } from "./db/schema.ts";
import { coursesUnavailable, projectLessonCourse, type OutlineSource, type ProjectedLesson } from "./outlines.ts";
import { NOW, iso, stateOf, type LessonState } from "./lesson-state.ts";
import { courseTally, percentOf, tallyQuery, type CourseTally } from "./tally.ts";

/**
 * Recording a learner's progress on a lesson (`POST /api/progress/lessons/{lessonId}`). Three
 * paths, chosen from one read of the lesson and the learner's row on it:
 *
 * - nothing to do (completing a completed lesson of a completed course): no write, no event;
 * - a view or a position on a lesson already viewed, the frequent case (a player sends one every
 *   ~10 s): ONE statement over HTTP, no transaction, no event;
 * - anything new (a first view, a first completion): a transaction that locks the learner's row of
 *   the course first, so this learner's changes to one course happen one after another; the events
 *   go to the outbox in it, and the course completion is decided in it, so COURSE_COMPLETED is
 *   written exactly once even when two devices complete the last two lessons at the same moment.
 */

export type ProgressKind = "viewed" | "completed" | "position";

export interface ProgressInput {
  readonly event: ProgressKind;
  /** Where the player is, in seconds (a view or a completion may carry it too). */
  readonly positionSeconds?: number | undefined;
}

export interface LessonProgressView {
  readonly lessonId: string;
  readonly courseId: string;
  readonly state: LessonState;
  readonly positionSeconds: number | null;
  readonly firstViewedAt: string | null;
  readonly completedAt: string | null;
}

export interface RecordOutcome {
  readonly lesson: LessonProgressView;
  readonly course: { readonly percent: number; readonly completedAt: string | null };
  /** What happened for the first time here (each wrote its event): the live messages follow from it. */
  readonly firsts: { readonly viewed: boolean; readonly lessonCompleted: boolean; readonly courseCompleted: boolean };
  /** Whether anything was written at all. */
  readonly changed: boolean;
}

type Access = Pick<CoursesRpc, "hasAccess"> & OutlineSource;

export async function recordProgress(
  db: Database,
  courses: Access,
  userId: string,
  lessonId: string,
  input: ProgressInput,
  context: { correlationId: string },
): Promise<RecordOutcome> {
  const found = await lessonWithLearner(db, courses, userId, lessonId);
  if (!found) throw new ProblemError("not-found", { detail: "No such lesson." });
  const { lesson, learner } = found;
  await checkAccess(courses, userId, lesson);
  checkPosition(lesson, input.positionSeconds);

  if (input.event === "completed" && learner.lessonCompletedAt && learner.courseCompletedAt) {
    return unchanged(db, userId, lesson);
  }
  if (input.event !== "completed" && learner.firstViewedAt) {
    const touched = await touchViewedLesson(db, userId, lesson, input.positionSeconds ?? null);
    if (touched) return touched;
    // The row went in between (the learner was erased): start again as a first view.
  }
  return db.transaction((tx) => recordChange(tx, userId, lesson, input, context));
}

interface LearnerOnLesson {
  readonly firstViewedAt: Date | null;
  readonly lessonCompletedAt: Date | null;
  readonly courseCompletedAt: Date | null;
}

/** The lesson and where this learner stands on it and on its course: one statement, or a first fill from courses. */
async function lessonWithLearner(
  db: Queryable,
  courses: OutlineSource,
  userId: string,
  lessonId: string,
): Promise<{ lesson: ProjectedLesson; learner: LearnerOnLesson } | undefined> {
  const [row] = await db
    .select({
      lesson: courseLessons,
      firstViewedAt: lessonProgress.firstViewedAt,
      lessonCompletedAt: lessonProgress.completedAt,
      courseCompletedAt: courseProgress.completedAt,
    })
    .from(courseLessons)
    .leftJoin(
      lessonProgress,
      and(eq(lessonProgress.lessonId, courseLessons.lessonId), eq(lessonProgress.userId, userId)),
    )
    .leftJoin(
      courseProgress,
      and(eq(courseProgress.courseId, courseLessons.courseId), eq(courseProgress.userId, userId)),
    )
    .where(eq(courseLessons.lessonId, lessonId));
  if (row) return { lesson: row.lesson, learner: row };
  const lesson = await projectLessonCourse(db, courses, lessonId);
  // A lesson the projection lacked has no progress rows yet; the transaction re-reads under its lock anyway.
  return lesson && { lesson, learner: { firstViewedAt: null, lessonCompletedAt: null, courseCompletedAt: null } };
}

/** Free previews are open to anyone signed in; every other lesson needs access, which courses decides. */
async function checkAccess(courses: Pick<CoursesRpc, "hasAccess">, userId: string, lesson: ProjectedLesson) {
  if (lesson.isPreview) return;
  let allowed: boolean;
  try {
    allowed = await courses.hasAccess(userId, lesson.courseId);
  } catch {
    throw coursesUnavailable();
  }
  if (!allowed) {
    throw new ProblemError("forbidden", {
      detail: "You have no access to this lesson's course: buy it or enroll first.",
    });
  }
}

/** A position past the end of the lesson's media, when its length is known, is a mistake the client must hear of. */
function checkPosition(lesson: ProjectedLesson, positionSeconds: number | undefined) {
  if (positionSeconds === undefined || lesson.durationSeconds === null) return;
  if (positionSeconds > lesson.durationSeconds) {
    throw new ProblemError("validation-failed", {
      detail: "One or more fields are invalid.",
      errors: [
        {
          path: "json.positionSeconds",
          message: `must be at most the lesson's duration, ${lesson.durationSeconds} seconds`,
        },
      ],
    });
  }
}

/** A completion repeated: nothing is written; the answer is the state as it stands. */
async function unchanged(db: Queryable, userId: string, lesson: ProjectedLesson): Promise<RecordOutcome> {
  const [row] = await db
    .select()
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lesson.lessonId)));
  const tally = await courseTally(db, userId, lesson.courseId);
  return {
    lesson: viewOf(lesson, row),
    course: { percent: percentOf(tally), completedAt: iso(tally.courseCompletedAt) },
    firsts: { viewed: false, lessonCompleted: false, courseCompleted: false },
    changed: false,
  };
}

/**
 * The frequent case in one statement: the learner's row on an already viewed lesson takes the new
 * position, their course row the activity, and the course's percent comes back with them. No
 * event: a position is not news for Kafka. Undefined when there was no viewed row to update.
 */
async function touchViewedLesson(
  db: Database,
  userId: string,
  lesson: ProjectedLesson,
  positionSeconds: number | null,
): Promise<RecordOutcome | undefined> {
  const underAccess = !lesson.isPreview;
  const position = sql`${positionSeconds}::double precision`;
  const result = await db.execute<{
    position_seconds: number | null;
    first_viewed_at: string | null;
    completed_at: string | null;
    course_completed_at: string | null;
    required: string | number;
    done: string | number;
  }>(sql`
    with touched as (
      update ${lessonProgress}
      set position_seconds = coalesce(${position}, position_seconds),
          position_updated_at = case when ${position} is null then position_updated_at else ${NOW} end,
          updated_at = ${NOW}
      where user_id = ${userId} and lesson_id = ${lesson.lessonId} and first_viewed_at is not null
      returning position_seconds, first_viewed_at, completed_at
    ),
    activity as (
      update ${courseProgress}
      set last_activity_at = ${NOW}, last_lesson_id = ${lesson.lessonId},
          enrolled_at = case when ${underAccess} then coalesce(enrolled_at, ${NOW}) else enrolled_at end
      where user_id = ${userId} and course_id = ${lesson.courseId} and exists (select 1 from touched)
      returning completed_at
    )
    select touched.position_seconds,
           to_json(touched.first_viewed_at) #>> '{}' as first_viewed_at,
           to_json(touched.completed_at) #>> '{}' as completed_at,
           (select to_json(completed_at) #>> '{}' from activity) as course_completed_at,
           tally.required, tally.done
    from touched, (${tallyQuery(userId, lesson.courseId)}) as tally`);
  const [row] = result.rows;
  if (!row) return undefined;
  const positionNow = row.position_seconds === null ? null : Number(row.position_seconds);
  const firstViewedAt = row.first_viewed_at === null ? null : new Date(row.first_viewed_at);
  const completedAt = row.completed_at === null ? null : new Date(row.completed_at);
  return {
    lesson: viewOf(lesson, { positionSeconds: positionNow, firstViewedAt, completedAt }),
    course: {
      percent: percentOf({ required: Number(row.required), done: Number(row.done) }),
      completedAt: row.course_completed_at === null ? null : new Date(row.course_completed_at).toISOString(),
    },
    firsts: { viewed: false, lessonCompleted: false, courseCompleted: false },
    changed: true,
  };
}

/**
 * Something new for this learner: under the lock of their course row, the lesson row is read
 * again (another device may just have written it), and only what is really new is written, each
 * first with its event. The course completes here, once: the lock means a second device's
 * transaction sees this one's completed lessons, and `completed_at` once set is never cleared.
 */
async function recordChange(
  tx: Transaction,
  userId: string,
  lesson: ProjectedLesson,
  input: ProgressInput,
  context: { correlationId: string },
): Promise<RecordOutcome> {
  const { lessonId, courseId } = lesson;
  const underAccess = !lesson.isPreview;
  const source = { source: "progress", ...context };
  const course = await lockCourseRow(tx, userId, courseId);
  const [before] = await tx
    .select()
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lessonId)));
  const firstView = !before?.firstViewedAt;
  const firstCompletion = input.event === "completed" && !before?.completedAt;
  const position = input.positionSeconds ?? null;
  const writes = firstView || firstCompletion || position !== null;

  let row = before;
  if (writes) {
    const changes = {
      courseId,
      firstViewedAt: before?.firstViewedAt ?? NOW,
      completedAt: firstCompletion ? NOW : (before?.completedAt ?? null),
      positionSeconds: position ?? before?.positionSeconds ?? null,
      positionUpdatedAt: position !== null ? NOW : (before?.positionUpdatedAt ?? null),
      updatedAt: NOW,
    };
    [row] = await tx
      .insert(lessonProgress)
      .values({ userId, lessonId, ...changes })
      .onConflictDoUpdate({ target: [lessonProgress.userId, lessonProgress.lessonId], set: changes })
      .returning();
    await tx
      .update(courseProgress)
      .set({
        startedAt: course.startedAt ?? NOW,
        lastActivityAt: NOW,
        lastLessonId: lessonId,
        ...(underAccess && !course.enrolledAt && { enrolledAt: NOW }),
      })
      .where(and(eq(courseProgress.userId, userId), eq(courseProgress.courseId, courseId)));
  }
  if (row && firstView) {
    await recordEvent(
      tx,
      outbox,
      "LESSON_VIEWED",
      { userId, courseId, lessonId, positionSeconds: row.positionSeconds, viewedAt: isoOf(row.firstViewedAt) },
      source,
    );
  }
  if (row && firstCompletion) {
    await recordEvent(
      tx,
      outbox,
      "LESSON_COMPLETED",
      { userId, courseId, lessonId, completedAt: isoOf(row.completedAt) },
      source,
    );
  }
  const tally = await courseTally(tx, userId, courseId);
  const courseCompletedAt = course.completedAt ?? (await completeCourseIfDone(tx, userId, courseId, tally, source));
  return {
    lesson: viewOf(lesson, row),
    course: { percent: percentOf(tally), completedAt: iso(courseCompletedAt) },
    firsts: {
      viewed: firstView,
      lessonCompleted: firstCompletion,
      courseCompleted: courseCompletedAt !== null && course.completedAt === null,
    },
    changed: writes || (courseCompletedAt !== null && course.completedAt === null),
  };
}

/**
 * The learner's row of the course, created if this is their first step in it, and locked
 * (`INSERT … ON CONFLICT DO UPDATE` takes the row lock either way) until the transaction ends.
 */
async function lockCourseRow(tx: Transaction, userId: string, courseId: string) {
  const [row] = await tx
    .insert(courseProgress)
    .values({ userId, courseId })
    .onConflictDoUpdate({
      target: [courseProgress.userId, courseProgress.courseId],
      // A no-op change, for the lock: nothing about the course row changes yet.
      set: { userId: sql`excluded.user_id` },
    })
    .returning();
  if (!row) throw new Error("the learner's course row was neither inserted nor locked");
  return row;
}

/**
 * Every required lesson complete (and there is at least one): the course is, from now on. Called
 * under the course row's lock with `completed_at` still null, so at most one transaction gets here
 * for a learner and course.
 */
async function completeCourseIfDone(
  tx: Transaction,
  userId: string,
  courseId: string,
  tally: CourseTally,
  source: { source: string; correlationId: string },
): Promise<Date | null> {
  if (tally.required === 0 || tally.done < tally.required) return null;
  const [completed] = await tx
    .update(courseProgress)
    .set({ completedAt: NOW, lastActivityAt: NOW })
    .where(and(eq(courseProgress.userId, userId), eq(courseProgress.courseId, courseId)))
    .returning({ completedAt: courseProgress.completedAt });
  const completedAt = completed?.completedAt ?? null;
  if (completedAt) {
    await recordEvent(
      tx,
      outbox,
      "COURSE_COMPLETED",
      { userId, courseId, completedAt: completedAt.toISOString() },
      source,
    );
  }
  return completedAt;
}

type LessonRow = Pick<typeof lessonProgress.$inferSelect, "positionSeconds" | "firstViewedAt" | "completedAt">;

function viewOf(lesson: ProjectedLesson, row: LessonRow | undefined): LessonProgressView {
  return {
    lessonId: lesson.lessonId,
    courseId: lesson.courseId,
    state: stateOf(row),
    positionSeconds: row?.positionSeconds ?? null,
    firstViewedAt: iso(row?.firstViewedAt ?? null),
    completedAt: iso(row?.completedAt ?? null),
  };
}

function isoOf(date: Date | null): string {
  return (date ?? new Date()).toISOString();
}
