import { eq } from "drizzle-orm";
import { viewerAccess, type CourseRead } from "./course-page.ts";
import { courses, lessons } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import { OUTLINE_LESSON_COLUMNS, type OutlineLesson } from "./outline.ts";

export interface LessonRead extends CourseRead {
  /** Undefined: the course has no such lesson. */
  readonly lesson: OutlineLesson | undefined;
}

/**
 * One lesson with its course and the caller's access, in ONE statement, as the lesson list reads
 * them (outline.ts) but without the other lessons' bodies: what a player reads again for fresh
 * media links. Undefined: no such course.
 */
export async function readLesson(
  db: Queryable,
  courseId: string,
  lessonId: string,
  viewerId?: string,
): Promise<LessonRead | undefined> {
  const row = await db.query.courses.findFirst({
    where: eq(courses.id, courseId),
    with: { lessons: { columns: OUTLINE_LESSON_COLUMNS, where: eq(lessons.id, lessonId) } },
    extras: (fields) => ({ viewerHasAccess: viewerAccess(db, viewerId, fields.id) }),
  });
  if (!row) return undefined;
  const { viewerHasAccess, lessons: found, ...course } = row;
  return { course, viewerHasAccess, lesson: found[0] };
}
