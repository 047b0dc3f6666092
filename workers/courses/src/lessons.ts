import { and, eq, max, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow } from "@platform/db";
import { recordEvent } from "@platform/events";
import { ProblemError } from "@platform/http-kit";
import { recordCourseUpdated, type EventContext } from "./courses.ts";
import { courses, lessons, outbox, sections } from "./db/schema.ts";
import type { Database, Transaction } from "./db/database.ts";
import { renderMarkdown } from "./markdown.ts";
import { resolveLessonFiles, type CaptionInput, type DownloadInput } from "./media/lesson-files.ts";
import type { Course } from "./permissions.ts";

export type Lesson = typeof lessons.$inferSelect;
export type Section = typeof sections.$inferSelect;

export interface NewLesson {
  readonly title: string;
  readonly kind: "video" | "text" | "file";
  readonly sectionId?: string | null;
  readonly bodyMarkdown?: string;
  readonly durationSeconds?: number;
  readonly isPreview: boolean;
  /** Video lessons: caption tracks, replacing the lesson's list. */
  readonly captions?: readonly CaptionInput[];
  /** Files to download beside the lesson, replacing its list. */
  readonly downloads?: readonly DownloadInput[];
}

export type LessonChanges = Partial<Omit<NewLesson, "kind">>;

const lessonNotFound = () => new ProblemError("not-found", { detail: "No such lesson in this course." });
const sectionNotFound = () => new ProblemError("not-found", { detail: "No such section in this course." });

/**
 * A text lesson's body and its HTML, rendered here, when it is written, and before the
 * transaction so no lock is held while Markdown renders. Reads serve the stored HTML (outline.ts).
 */
function bodyColumns(bodyMarkdown: string | undefined) {
  return bodyMarkdown === undefined ? {} : { bodyMarkdown, bodyHtml: renderMarkdown(bodyMarkdown) };
}

/** Locks the course row, so that appends to one course (lessons, sections) take their places one at a time. */
async function lockCourse(tx: Transaction, courseId: string): Promise<void> {
  await tx.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).for("update");
}

async function assertSectionOf(tx: Transaction, courseId: string, sectionId: string | null | undefined) {
  if (!sectionId) return;
  const [section] = await tx
    .select({ id: sections.id })
    .from(sections)
    .where(and(eq(sections.id, sectionId), eq(sections.courseId, courseId)));
  if (!section) throw sectionNotFound();
}

function checkKindFields(kind: NewLesson["kind"], fields: LessonChanges) {
  if (kind !== "video" && fields.captions?.length) {
    throw new ProblemError("unprocessable", {
      errors: [{ path: "captions", message: "only video lessons have caption tracks" }],
    });
  }
  if (kind === "text" && fields.durationSeconds !== undefined) {
    throw new ProblemError("unprocessable", {
      errors: [{ path: "durationSeconds", message: "only video lessons have a duration" }],
    });
  }
  if (kind !== "text" && fields.bodyMarkdown !== undefined) {
    throw new ProblemError("unprocessable", {
      errors: [
        { path: "bodyMarkdown", message: "only text lessons have a body; upload media for video and file lessons" },
      ],
    });
  }
}

/**
 * The seed's `addLesson`: appends a lesson to the course (reorder to move it) and records
 * LESSON_ADDED, and COURSE_UPDATED as every other change to a course's outline does (the courses
 * service's own cache of the outline listens for that one). The course row is locked, so two
 * lessons added at once get distinct places.
 */
export async function addLesson(
  db: Database,
  course: Course,
  input: NewLesson,
  context: EventContext,
): Promise<Lesson> {
  checkKindFields(input.kind, input);
  if (input.kind === "text" && !input.bodyMarkdown?.trim()) {
    throw new ProblemError("unprocessable", {
      errors: [{ path: "bodyMarkdown", message: "a text lesson needs a body" }],
    });
  }
  const body = input.kind === "text" ? bodyColumns(input.bodyMarkdown) : {};
  const files = await resolveLessonFiles(db, course.id, input);
  return db.transaction(async (tx) => {
    await lockCourse(tx, course.id);
    await assertSectionOf(tx, course.id, input.sectionId);
    const [last] = await tx
      .select({ position: max(lessons.position) })
      .from(lessons)
      .where(eq(lessons.courseId, course.id));
    const lesson = insertedRow(
      await tx
        .insert(lessons)
        .values({
          id: uuidv7(),
          courseId: course.id,
          sectionId: input.sectionId ?? null,
          position: (last?.position ?? -1) + 1,
          title: input.title,
          kind: input.kind,
          ...body,
          ...files,
          durationSeconds: input.durationSeconds ?? null,
          isPreview: input.isPreview,
        })
        .returning(),
    );
    await recordEvent(
      tx,
      outbox,
      "LESSON_ADDED",
      {
        courseId: course.id,
        lessonId: lesson.id,
        title: lesson.title,
        kind: lesson.kind,
        position: lesson.position,
        freePreview: lesson.isPreview,
      },
      { source: "courses", ...context },
    );
    await recordCourseUpdated(tx, course, ["lessons"], context);
    return lesson;
  });
}

export async function updateLesson(
  db: Database,
  course: Course,
  lessonId: string,
  changes: LessonChanges,
  context: EventContext,
): Promise<Lesson> {
  const { bodyMarkdown, captions, downloads, ...rest } = changes;
  // Checked before the transaction, as Markdown is rendered: no row is locked while the uploads are read.
  const files = await resolveLessonFiles(db, course.id, { captions, downloads });
  const values = { ...rest, ...bodyColumns(bodyMarkdown), ...files };
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(lessons)
      .where(and(eq(lessons.id, lessonId), eq(lessons.courseId, course.id)))
      .for("update");
    if (!existing) throw lessonNotFound();
    checkKindFields(existing.kind, changes);
    await assertSectionOf(tx, course.id, changes.sectionId);
    const [lesson] = await tx
      .update(lessons)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(lessons.id, lessonId))
      .returning();
    if (!lesson) throw lessonNotFound();
    await recordCourseUpdated(tx, course, ["lessons"], context);
    return lesson;
  });
}

export async function deleteLesson(
  db: Database,
  course: Course,
  lessonId: string,
  context: EventContext,
): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(lessons)
      .where(and(eq(lessons.id, lessonId), eq(lessons.courseId, course.id)))
      .returning({ id: lessons.id });
    if (deleted.length === 0) throw lessonNotFound();
    await recordCourseUpdated(tx, course, ["lessons"], context);
  });
}

/**
 * Puts a table of `position`s in the order given. Positions are unique per course and
 * PostgreSQL checks that row by row, so the rows first move out of the way (negative), then in.
 */
async function applyOrder(
  tx: Transaction,
  table: typeof lessons | typeof sections,
  courseId: string,
  ids: readonly string[],
) {
  const current = await tx.select({ id: table.id }).from(table).where(eq(table.courseId, courseId)).for("update");
  const known = new Set(current.map((row) => row.id));
  const given = new Set(ids);
  if (given.size !== ids.length || given.size !== known.size || ids.some((id) => !known.has(id))) {
    throw new ProblemError("unprocessable", {
      detail: `Send every one of the course's ${known.size} ids exactly once, in the new order.`,
    });
  }
  const idArray = sql`${`{${ids.join(",")}}`}::uuid[]`;
  await tx.execute(sql`
    update ${table} set position = -ordered.ordinality
    from unnest(${idArray}) with ordinality as ordered(id, ordinality)
    where ${table.id} = ordered.id`);
  await tx.execute(sql`update ${table} set position = -position - 1 where ${table.courseId} = ${courseId}`);
}

export async function reorderLessons(
  db: Database,
  course: Course,
  lessonIds: readonly string[],
  context: EventContext,
) {
  await db.transaction(async (tx) => {
    await applyOrder(tx, lessons, course.id, lessonIds);
    await recordCourseUpdated(tx, course, ["lessons"], context);
  });
}

export async function addSection(db: Database, course: Course, title: string, context: EventContext): Promise<Section> {
  return db.transaction(async (tx) => {
    await lockCourse(tx, course.id);
    const [last] = await tx
      .select({ position: max(sections.position) })
      .from(sections)
      .where(eq(sections.courseId, course.id));
    const section = insertedRow(
      await tx
        .insert(sections)
        .values({ id: uuidv7(), courseId: course.id, title, position: (last?.position ?? -1) + 1 })
        .returning(),
    );
    await recordCourseUpdated(tx, course, ["sections"], context);
    return section;
  });
}

export async function renameSection(
  db: Database,
  course: Course,
  sectionId: string,
  title: string,
  context: EventContext,
) {
  return db.transaction(async (tx) => {
    const [section] = await tx
      .update(sections)
      .set({ title })
      .where(and(eq(sections.id, sectionId), eq(sections.courseId, course.id)))
      .returning();
    if (!section) throw sectionNotFound();
    await recordCourseUpdated(tx, course, ["sections"], context);
    return section;
  });
}

/** Deleting a section keeps its lessons, outside any section. */
export async function deleteSection(db: Database, course: Course, sectionId: string, context: EventContext) {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(sections)
      .where(and(eq(sections.id, sectionId), eq(sections.courseId, course.id)))
      .returning({ id: sections.id });
    if (deleted.length === 0) throw sectionNotFound();
    await recordCourseUpdated(tx, course, ["sections"], context);
  });
}

export async function reorderSections(
  db: Database,
  course: Course,
  sectionIds: readonly string[],
  context: EventContext,
) {
  await db.transaction(async (tx) => {
    await applyOrder(tx, sections, course.id, sectionIds);
    await recordCourseUpdated(tx, course, ["sections"], context);
  });
}
