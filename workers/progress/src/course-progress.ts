import { and, asc, eq } from "drizzle-orm";
import { ProblemError } from "@platform/http-kit";
import type { Queryable } from "./db/database.ts";
import { courseLessons, courseOutlines, courseProgress, lessonProgress } from "./db/schema.ts";
import { iso, stateOf, type LessonState } from "./lesson-state.ts";
import { ensureOutlines, type OutlineSource } from "./outlines.ts";
import { percentOf } from "./tally.ts";

/**
 * A learner's progress through one course (`GET /api/progress/courses/{courseId}`): every lesson's
 * state and position, the percent, and the next lesson to take. It shows only the caller's own
 * rows, so it needs no access check: a learner whose access a refund ended still sees their history.
 */

export interface LessonProgressEntry {
  readonly lessonId: string;
  readonly title: string;
  readonly position: number;
  readonly kind: "video" | "text" | "file";
  readonly durationSeconds: number | null;
  readonly isPreview: boolean;
  readonly required: boolean;
  readonly state: LessonState;
  readonly positionSeconds: number | null;
  readonly firstViewedAt: string | null;
  readonly completedAt: string | null;
}

export interface CourseProgressView {
  readonly courseId: string;
  readonly title: string;
  readonly slug: string;
  readonly percent: number;
  readonly requiredLessons: number;
  readonly completedLessons: number;
  readonly startedAt: string | null;
  readonly lastActivityAt: string | null;
  readonly completedAt: string | null;
  /** The first lesson, in course order, not completed yet; null when none is left. */
  readonly nextLesson: Pick<LessonProgressEntry, "lessonId" | "title" | "position" | "positionSeconds"> | null;
  readonly lessons: readonly LessonProgressEntry[];
}

export async function readCourseProgress(
  db: Queryable,
  courses: OutlineSource,
  userId: string,
  courseId: string,
): Promise<CourseProgressView> {
  const known = await readOnce(db, userId, courseId);
  if (known) return known;
  // Not projected yet (events lag, or the course predates this service): read it from courses once.
  const unknown = await ensureOutlines(db, courses, [courseId]);
  const filled = unknown.has(courseId) ? undefined : await readOnce(db, userId, courseId);
  if (!filled) throw new ProblemError("not-found", { detail: "No such course." });
  return filled;
}

/** One statement: the course, its lessons in order, and this learner's rows on both. */
async function readOnce(db: Queryable, userId: string, courseId: string): Promise<CourseProgressView | undefined> {
  const rows = await db
    .select({ outline: courseOutlines, lesson: courseLessons, mine: lessonProgress, course: courseProgress })
    .from(courseOutlines)
    .leftJoin(courseLessons, eq(courseLessons.courseId, courseOutlines.courseId))
    .leftJoin(
      lessonProgress,
      and(eq(lessonProgress.lessonId, courseLessons.lessonId), eq(lessonProgress.userId, userId)),
    )
    .leftJoin(
      courseProgress,
      and(eq(courseProgress.courseId, courseOutlines.courseId), eq(courseProgress.userId, userId)),
    )
    .where(eq(courseOutlines.courseId, courseId))
    .orderBy(asc(courseLessons.position));
  const [first] = rows;
  if (!first) return undefined;
  const lessons: LessonProgressEntry[] = rows.flatMap(({ lesson, mine }) =>
    lesson
      ? [
          {
            lessonId: lesson.lessonId,
            title: lesson.title,
            position: lesson.position,
            kind: lesson.kind,
            durationSeconds: lesson.durationSeconds,
            isPreview: lesson.isPreview,
            required: lesson.required,
            state: stateOf(mine ?? undefined),
            positionSeconds: mine?.positionSeconds ?? null,
            firstViewedAt: iso(mine?.firstViewedAt ?? null),
            completedAt: iso(mine?.completedAt ?? null),
          },
        ]
      : [],
  );
  const required = lessons.filter((lesson) => lesson.required);
  const tally = { required: required.length, done: required.filter((lesson) => lesson.state === "completed").length };
  const next = lessons.find((lesson) => lesson.state !== "completed");
  const course = first.course;
  return {
    courseId,
    title: first.outline.title,
    slug: first.outline.slug,
    percent: percentOf(tally),
    requiredLessons: tally.required,
    completedLessons: tally.done,
    startedAt: iso(course?.startedAt ?? null),
    lastActivityAt: iso(course?.lastActivityAt ?? null),
    completedAt: iso(course?.completedAt ?? null),
    nextLesson: next
      ? { lessonId: next.lessonId, title: next.title, position: next.position, positionSeconds: next.positionSeconds }
      : null,
    lessons,
  };
}
