import { and, count, desc, eq, inArray, lt } from "drizzle-orm";
import { courses, enrollments } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import { activeGrant, enrolledLearners } from "./enrolled-learners.ts";
import type { Course } from "./permissions.ts";

export interface CourseWithCounts {
  readonly course: Course;
  /** Learners with an active grant (a subscriber counts once they enrol or study through a grant). */
  readonly enrolled: number;
  readonly completed: number;
}

/** An author's own courses, newest first, with how many learners are in each and how many finished. */
export async function coursesOfAuthor(
  db: Queryable,
  authorId: string,
  options: { cursor?: string; limit: number },
): Promise<{ items: CourseWithCounts[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(courses)
    .where(and(eq(courses.authorId, authorId), options.cursor ? lt(courses.id, options.cursor) : undefined))
    .orderBy(desc(courses.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const ids = page.map((course) => course.id);
  const counts =
    ids.length === 0
      ? []
      : await db
          .select({
            courseId: enrollments.courseId,
            enrolled: enrolledLearners(),
            completed: count(enrollments.completedAt),
          })
          .from(enrollments)
          .where(and(inArray(enrollments.courseId, ids), activeGrant()))
          .groupBy(enrollments.courseId);
  const byCourse = new Map(counts.map((row) => [row.courseId, row]));
  return {
    items: page.map((course) => ({
      course,
      enrolled: byCourse.get(course.id)?.enrolled ?? 0,
      completed: byCourse.get(course.id)?.completed ?? 0,
    })),
    nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
