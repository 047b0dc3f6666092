import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "./db/database.ts";
import { courseLessons, courseProgress, lessonProgress } from "./db/schema.ts";

/** How far a learner is through a course: its required lessons, and how many of them they completed. */
export interface CourseTally {
  readonly required: number;
  readonly done: number;
}

/**
 * Percent complete, over the course's required lessons as they are now: a lesson added after a
 * learner completed the course lowers the percent, never the completion itself.
 */
export function percentOf(tally: CourseTally): number {
  return tally.required === 0 ? 0 : Math.floor((100 * tally.done) / tally.required);
}

/** The tally as a subquery (`required`, `done`), for statements that return it beside what they change. */
export function tallyQuery(userId: string, courseId: string) {
  return sql`
    select count(*) filter (where ${courseLessons.required}) as required,
           count(*) filter (where ${courseLessons.required} and ${lessonProgress.completedAt} is not null) as done
    from ${courseLessons}
    left join ${lessonProgress}
      on ${lessonProgress.lessonId} = ${courseLessons.lessonId} and ${lessonProgress.userId} = ${userId}
    where ${courseLessons.courseId} = ${courseId}`;
}

/** The tally and the course completion, in one statement. */
export async function courseTally(
  db: Queryable,
  userId: string,
  courseId: string,
): Promise<CourseTally & { courseCompletedAt: Date | null }> {
  const [row] = await db
    .select({
      required: sql<number>`count(*) filter (where ${courseLessons.required})`.mapWith(Number),
      done: sql<number>`count(*) filter (where ${courseLessons.required} and ${lessonProgress.completedAt} is not null)`.mapWith(
        Number,
      ),
      courseCompletedAt:
        sql<Date | null>`(select to_json(${courseProgress.completedAt}) #>> '{}' from ${courseProgress} where ${and(
          eq(courseProgress.userId, userId),
          eq(courseProgress.courseId, courseId),
        )})`.mapWith((value: string | null) => (value === null ? null : new Date(value))),
    })
    .from(courseLessons)
    .leftJoin(
      lessonProgress,
      and(eq(lessonProgress.lessonId, courseLessons.lessonId), eq(lessonProgress.userId, userId)),
    )
    .where(eq(courseLessons.courseId, courseId));
  return { required: row?.required ?? 0, done: row?.done ?? 0, courseCompletedAt: row?.courseCompletedAt ?? null };
}
