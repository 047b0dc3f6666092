import { eq } from "drizzle-orm";
import { viewerAccess } from "./course-page.ts";
import { courses, type lessons } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import type { OutlineSection } from "./outline.ts";
import type { Course } from "./permissions.ts";

/** What a syllabus shows of a lesson: what it is and how long, never its content or media. */
export type SyllabusLesson = Pick<
  typeof lessons.$inferSelect,
  "id" | "sectionId" | "position" | "title" | "kind" | "isPreview" | "durationSeconds"
>;

export interface Syllabus {
  /** Only what decides who may see it, and whose it is. */
  readonly course: Pick<Course, "id" | "status" | "authorId">;
  /** Whether the signed-in caller holds access (an archived course is theirs still); false when anonymous. */
  readonly viewerHasAccess: boolean;
  readonly sections: OutlineSection[];
  readonly lessons: SyllabusLesson[];
}

/**
 * A course's syllabus in ONE statement, as the lesson list reads its outline (outline.ts), but
 * without the lessons' bodies, media or files: the course's status and author, the caller's
 * access, and its sections and lessons in order. Undefined: no such course.
 */
export async function readSyllabus(db: Queryable, courseId: string, viewerId?: string): Promise<Syllabus | undefined> {
  const row = await db.query.courses.findFirst({
    where: eq(courses.id, courseId),
    columns: { id: true, status: true, authorId: true },
    with: {
      sections: {
        columns: { id: true, title: true, position: true },
        orderBy: (section, { asc }) => asc(section.position),
      },
      lessons: {
        columns: {
          id: true,
          sectionId: true,
          position: true,
          title: true,
          kind: true,
          isPreview: true,
          durationSeconds: true,
        },
        orderBy: (lesson, { asc }) => asc(lesson.position),
      },
    },
    extras: (fields) => ({ viewerHasAccess: viewerAccess(db, viewerId, fields.id) }),
  });
  if (!row) return undefined;
  const { viewerHasAccess, sections, lessons, ...course } = row;
  return { course, viewerHasAccess, sections, lessons };
}
