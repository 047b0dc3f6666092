import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { ProblemError, type Principal } from "@platform/http-kit";
import { hasAccess } from "../access.ts";
import { courses, lessons } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import { canEdit, type Course } from "../permissions.ts";

/** What a key is to its course. Decides who may fetch it and how long it may be cached. */
export type MediaUse = "cover" | "preview" | "lesson" | "unattached";

/** `public`: anyone may fetch it and shared caches may keep it; `private`: only this caller. */
export type MediaAudience = "public" | "private";

/** A lesson uses the key as its media, one of its caption tracks or one of its downloads. */
function usedByLesson(objectKey: string): SQL {
  const listed = JSON.stringify([{ key: objectKey }]);
  const condition = or(
    eq(lessons.mediaKey, objectKey),
    sql`${lessons.captions} @> ${listed}::jsonb`,
    sql`${lessons.downloads} @> ${listed}::jsonb`,
  );
  if (!condition) throw new Error("a lesson-use condition is never empty");
  return condition;
}

export async function mediaUseOf(db: Queryable, course: Course, objectKey: string): Promise<MediaUse> {
  if (course.coverImageKey === objectKey) return "cover";
  const uses = await db
    .select({ isPreview: lessons.isPreview })
    .from(lessons)
    .where(and(eq(lessons.courseId, course.id), usedByLesson(objectKey)));
  if (uses.length === 0) return "unattached";
  return uses.some((use) => use.isPreview) ? "preview" : "lesson";
}

/**
 * What the key is to the course, in ONE statement that also finds the course, for a request that
 * carries a signed link (signed-access.ts): undefined when the course no longer exists.
 */
export async function courseMediaUse(
  db: Queryable,
  courseId: string,
  objectKey: string,
): Promise<MediaUse | undefined> {
  const previewUse = db
    .select({ preview: sql`bool_or(${lessons.isPreview})` })
    .from(lessons)
    .where(and(eq(lessons.courseId, courseId), usedByLesson(objectKey)));
  const [row] = await db
    .select({
      isCover: sql<boolean>`coalesce(${courses.coverImageKey} = ${objectKey}, false)`,
      // Null when no lesson uses the key; otherwise whether a free preview does.
      lessonPreview: sql<boolean | null>`(${previewUse})`,
    })
    .from(courses)
    .where(eq(courses.id, courseId))
    .limit(1);
  if (!row) return undefined;
  if (row.isCover) return "cover";
  if (row.lessonPreview === null) return "unattached";
  return row.lessonPreview ? "preview" : "lesson";
}

const notFound = () => new ProblemError("not-found", { detail: "No such media in this course." });

/**
 * Who may fetch a course's media:
 * - its author and admins: everything, drafts and not-yet-attached uploads included;
 * - a published course's cover and free-preview lessons' media: anyone, signed in or not;
 * - other lessons' media (and anything of an archived course): learners with access, 401
 *   signed out, 403 without access;
 * - a draft's media and uploads not attached to anything: nobody else, as 404 (a draft is not
 *   shown to others at all).
 */
export async function mediaAudience(
  db: Queryable,
  course: Course,
  objectKey: string,
  principal: Principal | undefined,
): Promise<MediaAudience> {
  const use = await mediaUseOf(db, course, objectKey);
  const open = course.status === "published" && (use === "cover" || use === "preview");
  if (canEdit(course, principal)) return open ? "public" : "private";
  if (course.status === "draft" || use === "unattached") throw notFound();
  if (open) return "public";
  if (!principal) throw new ProblemError("unauthorized", { detail: "Sign in to watch this lesson." });
  if (!(await hasAccess(db, principal.userId, course.id))) {
    throw new ProblemError("forbidden", { detail: "This lesson is part of the course: buy or enroll to open it." });
  }
  return "private";
}
