import { eq, sql } from "drizzle-orm";
import type { CourseOutline, CoursesRpc, RpcResult } from "@platform/contracts";
import { ProblemError } from "@platform/http-kit";
import type { Queryable } from "./db/database.ts";
import { courseLessons, courseOutlines, lessonKindEnum, progressSchema } from "./db/schema.ts";

/**
 * The projection of each course's lesson list (docs/progress.md, "Knowing a course's lessons").
 * Courses' events say *that* an outline changed; the outline itself is read over RPC, so deletes
 * and reorders are seen as well as additions, and an event that arrives late or twice only causes
 * a re-read. Each copy carries the courses database's time of reading (`readAt`), and a copy older
 * than the one stored is dropped, so two refreshes finishing in the wrong order keep the newer.
 */

export type OutlineSource = Pick<CoursesRpc, "courseOutline" | "outlineOfLesson">;

/** The enum's qualified name, from the schema objects rather than written in. */
const LESSON_KIND = sql`${sql.identifier(progressSchema.schemaName)}.${sql.identifier(lessonKindEnum.enumName)}`;

/** A lesson as progress knows it. */
export type ProjectedLesson = typeof courseLessons.$inferSelect;

/**
 * Writes one outline copy, in ONE statement (so it needs no transaction, and no session of its
 * own in a request): the course row is upserted only when this copy is not older than the stored
 * one, and only then are the course's lessons replaced (the ones it no longer has deleted, the
 * rest upserted). Answers whether the copy was applied.
 */
export async function applyOutline(db: Queryable, outline: CourseOutline): Promise<boolean> {
  const lessons = outline.lessons;
  const column = <T>(pick: (lesson: CourseOutline["lessons"][number]) => T) => lessons.map(pick);
  const ids = sql`${toArray(column((l) => l.id))}::uuid[]`;
  const rows = await db.execute<{ applied: boolean }>(sql`
    with outline as (
      insert into ${courseOutlines} (course_id, title, slug, synced_at)
      values (${outline.id}, ${outline.title}, ${outline.slug}, ${outline.readAt}::timestamptz)
      on conflict (course_id) do update
        set title = excluded.title, slug = excluded.slug, synced_at = excluded.synced_at
        where ${courseOutlines.syncedAt} <= excluded.synced_at
      returning course_id
    ),
    gone as (
      delete from ${courseLessons}
      where ${courseLessons.courseId} in (select course_id from outline) and not (${courseLessons.lessonId} = any(${ids}))
    ),
    kept as (
      insert into ${courseLessons} (lesson_id, course_id, position, title, kind, duration_seconds, is_preview, required)
      select lesson.id, outline.course_id, lesson.position, lesson.title, lesson.kind::${LESSON_KIND},
             lesson.duration_seconds, lesson.is_preview, lesson.required
      from outline, unnest(
        ${ids},
        ${toArray(column((l) => l.position))}::integer[],
        ${toArray(column((l) => l.title))}::text[],
        ${toArray(column((l) => l.kind))}::text[],
        ${toArray(column((l) => l.durationSeconds))}::integer[],
        ${toArray(column((l) => l.isPreview))}::boolean[],
        ${toArray(column((l) => l.required))}::boolean[]
      ) as lesson(id, position, title, kind, duration_seconds, is_preview, required)
      on conflict (lesson_id) do update
        set course_id = excluded.course_id, position = excluded.position, title = excluded.title,
            kind = excluded.kind, duration_seconds = excluded.duration_seconds,
            is_preview = excluded.is_preview, required = excluded.required
    )
    select exists (select 1 from outline) as applied`);
  return rows.rows[0]?.applied === true;
}

/** A PostgreSQL array literal of these values, sent as one text parameter (nulls as NULL). */
function toArray(values: readonly (string | number | boolean | null)[]): string {
  const item = (value: string | number | boolean | null) =>
    value === null ? "NULL" : `"${String(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return `{${values.map(item).join(",")}}`;
}

/** Courses says there is no such course (or it went back to draft): the projection forgets it, lessons and all. */
export async function forgetOutline(db: Queryable, courseId: string): Promise<void> {
  await db.delete(courseOutlines).where(eq(courseOutlines.courseId, courseId));
}

/**
 * Reads the course's outline from courses and projects it; answers whether the course exists.
 * An unreachable courses service throws (an event handler is retried; a route answers 503).
 */
export async function refreshOutline(db: Queryable, courses: OutlineSource, courseId: string): Promise<boolean> {
  const outline = unwrap(await courses.courseOutline(courseId));
  if (!outline) {
    await forgetOutline(db, courseId);
    return false;
  }
  await applyOutline(db, outline);
  return true;
}

/**
 * A lesson the projection does not hold (a course published before this service listened, a
 * lesson whose event has not arrived yet): its whole course outline is read from courses and
 * projected, on first use. Undefined: courses knows no such lesson either.
 */
export async function projectLessonCourse(
  db: Queryable,
  courses: OutlineSource,
  lessonId: string,
): Promise<ProjectedLesson | undefined> {
  const outline = unwrap(await courses.outlineOfLesson(lessonId));
  if (!outline) return undefined;
  await applyOutline(db, outline);
  const lesson = outline.lessons.find((candidate) => candidate.id === lessonId);
  return (
    lesson && {
      lessonId: lesson.id,
      courseId: outline.id,
      position: lesson.position,
      title: lesson.title,
      kind: lesson.kind,
      durationSeconds: lesson.durationSeconds,
      isPreview: lesson.isPreview,
      required: lesson.required,
    }
  );
}

/**
 * Makes sure the projection holds these courses (for the reads): the ones it lacks are read from
 * courses and projected. Answers the ids courses does not know (or holds only as drafts).
 */
export async function ensureOutlines(
  db: Queryable,
  courses: OutlineSource,
  missing: readonly string[],
): Promise<Set<string>> {
  const unknown = new Set<string>();
  const outlines = await Promise.all(missing.map(async (id) => [id, unwrap(await courses.courseOutline(id))] as const));
  for (const [id, outline] of outlines) {
    if (outline) await applyOutline(db, outline);
    else unknown.add(id);
  }
  return unknown;
}

/** The RPC's answer, `undefined` for not-found; an unreachable courses service is a 503 for a route. */
function unwrap(result: RpcResult<CourseOutline, "not-found" | "unavailable">): CourseOutline | undefined {
  if (result.ok) return result.value;
  if (result.code === "not-found") return undefined;
  throw coursesUnavailable();
}

export const COURSES_RETRY_AFTER_SECONDS = 5;

export function coursesUnavailable(): ProblemError {
  return new ProblemError("service-unavailable", {
    detail: "The courses service cannot be reached right now; nothing was changed. Try again shortly.",
    headers: { "retry-after": String(COURSES_RETRY_AFTER_SECONDS) },
  });
}
