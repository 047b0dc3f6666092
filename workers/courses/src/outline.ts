import { eq } from "drizzle-orm";
import { viewerAccess, type CourseRead } from "./course-page.ts";
import { courses, type lessons, type sections } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";

export type OutlineSection = Pick<typeof sections.$inferSelect, "id" | "title" | "position">;
export type OutlineLesson = Pick<
  typeof lessons.$inferSelect,
  | "id"
  | "sectionId"
  | "position"
  | "title"
  | "kind"
  | "isPreview"
  | "durationSeconds"
  | "bodyMarkdown"
  | "bodyHtml"
  | "mediaKey"
  | "captions"
  | "downloads"
>;

/** The columns of an `OutlineLesson`, for the relational queries that read lessons (here and lesson-read.ts). */
export const OUTLINE_LESSON_COLUMNS = {
  id: true,
  sectionId: true,
  position: true,
  title: true,
  kind: true,
  isPreview: true,
  durationSeconds: true,
  bodyMarkdown: true,
  bodyHtml: true,
  mediaKey: true,
  captions: true,
  downloads: true,
} as const satisfies Record<keyof OutlineLesson, true>;

export interface Outline extends CourseRead {
  readonly sections: OutlineSection[];
  readonly lessons: OutlineLesson[];
}

/**
 * A course's outline for the lesson list in ONE statement: the course row, the caller's access,
 * and its sections and lessons in order (drizzle's relational query aggregates both as JSON in
 * lateral subqueries). The lesson HTML is the stored rendering; nothing here renders Markdown.
 * Undefined: no such course.
 */
export async function readOutline(db: Queryable, courseId: string, viewerId?: string): Promise<Outline | undefined> {
  const row = await db.query.courses.findFirst({
    where: eq(courses.id, courseId),
    with: {
      sections: {
        columns: { id: true, title: true, position: true },
        orderBy: (section, { asc }) => asc(section.position),
      },
      lessons: {
        columns: OUTLINE_LESSON_COLUMNS,
        orderBy: (lesson, { asc }) => asc(lesson.position),
      },
    },
    extras: (fields) => ({ viewerHasAccess: viewerAccess(db, viewerId, fields.id) }),
  });
  if (!row) return undefined;
  const { viewerHasAccess, sections, lessons, ...course } = row;
  return { course, viewerHasAccess, sections, lessons };
}
