import { and, count, countDistinct, desc, eq, isNull, sql } from "drizzle-orm";
import { courseLessons, courseProgress, lessonProgress } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import { markDropOff } from "./drop-off.ts";

/**
 * A course's figures for its author, read from this service's own tables (docs/certificates.md
 * says what each figure counts):
 *
 * - enrolled: learners this service follows in the course (a grant announced, or any activity:
 *   a subscriber appears with their first step);
 * - started: those with a first recorded activity; completed: those with the completion;
 * - median time to complete: over completed learners, completion minus first activity;
 * - per lesson of the current outline: how many learners reached it (any progress recorded on it),
 *   completed it, and stopped there (it is the furthest lesson of a learner who has not
 *   completed the course). The lesson where most stopped is the drop-off.
 *
 * Two statements, sent together; neither holds a session (reads go over HTTP).
 */
export interface CourseAnalytics {
  readonly courseId: string;
  readonly enrolled: number;
  readonly started: number;
  readonly completed: number;
  /** completed ÷ enrolled; null with nobody enrolled. */
  readonly completionRate: number | null;
  /** Seconds; null until someone completed. */
  readonly medianSecondsToComplete: number | null;
  readonly lessons: readonly LessonFigures[];
}

export interface LessonFigures {
  readonly lessonId: string;
  readonly title: string;
  readonly position: number;
  readonly required: boolean;
  readonly reached: number;
  readonly completed: number;
  readonly stoppedHere: number;
  readonly dropOff: boolean;
}

export async function courseAnalytics(db: Queryable, courseId: string): Promise<CourseAnalytics> {
  const [summary, lessons] = await Promise.all([learnerFigures(db, courseId), lessonFigures(db, courseId)]);
  const { enrolled, started, completed, medianSeconds } = summary;
  return {
    courseId,
    enrolled,
    started,
    completed,
    completionRate: enrolled === 0 ? null : completed / enrolled,
    medianSecondsToComplete: medianSeconds,
    lessons: markDropOff(lessons),
  };
}

async function learnerFigures(db: Queryable, courseId: string) {
  const [row] = await db
    .select({
      enrolled: count(),
      started: count(courseProgress.startedAt),
      completed: count(courseProgress.completedAt),
      // Null for anyone not completed (or without a start), and percentile_cont skips nulls.
      medianSeconds: sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from ${courseProgress.completedAt} - ${courseProgress.startedAt}))`,
    })
    .from(courseProgress)
    .where(eq(courseProgress.courseId, courseId));
  return {
    enrolled: row?.enrolled ?? 0,
    started: row?.started ?? 0,
    completed: row?.completed ?? 0,
    medianSeconds: row?.medianSeconds === null || row?.medianSeconds === undefined ? null : Number(row.medianSeconds),
  };
}

async function lessonFigures(db: Queryable, courseId: string): Promise<Omit<LessonFigures, "dropOff">[]> {
  // Each learner still on the way, with the furthest lesson (by position) they have reached.
  const furthest = db.$with("furthest").as(
    db
      .selectDistinctOn([lessonProgress.userId], {
        lessonId: sql<string>`${courseLessons.lessonId}`.as("furthest_lesson_id"),
      })
      .from(lessonProgress)
      .innerJoin(courseLessons, eq(courseLessons.lessonId, lessonProgress.lessonId))
      .leftJoin(
        courseProgress,
        and(eq(courseProgress.userId, lessonProgress.userId), eq(courseProgress.courseId, courseLessons.courseId)),
      )
      .where(and(eq(courseLessons.courseId, courseId), isNull(courseProgress.completedAt)))
      .orderBy(lessonProgress.userId, desc(courseLessons.position)),
  );
  const stopped = db.$with("stopped").as(
    db
      .select({
        lessonId: sql<string>`${furthest.lessonId}`.as("stopped_lesson_id"),
        learners: count().as("stopped_learners"),
      })
      .from(furthest)
      .groupBy(furthest.lessonId),
  );
  const rows = await db
    .with(furthest, stopped)
    .select({
      lessonId: courseLessons.lessonId,
      title: courseLessons.title,
      position: courseLessons.position,
      required: courseLessons.required,
      reached: countDistinct(lessonProgress.userId),
      completed:
        sql<number>`count(distinct ${lessonProgress.userId}) filter (where ${lessonProgress.completedAt} is not null)`.mapWith(
          Number,
        ),
      stoppedHere: sql<number>`coalesce(max(${stopped.learners}), 0)`.mapWith(Number),
    })
    .from(courseLessons)
    .leftJoin(lessonProgress, eq(lessonProgress.lessonId, courseLessons.lessonId))
    .leftJoin(stopped, eq(stopped.lessonId, courseLessons.lessonId))
    .where(eq(courseLessons.courseId, courseId))
    .groupBy(courseLessons.lessonId)
    .orderBy(courseLessons.position);
  return rows;
}
