import { and, eq } from "drizzle-orm";
import { ProblemError, type Principal } from "@platform/http-kit";
import { hasAccess } from "../access.ts";
import { lessons } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import { canEdit, type Course } from "../permissions.ts";

/** What a key is to its course. Decides who may fetch it and how long it may be cached. */
export type MediaUse = "cover" | "preview" | "lesson" | "unattached";

/** `public`: anyone may fetch it and shared caches may keep it; `private`: only this caller. */
export type MediaAudience = "public" | "private";

export async function mediaUseOf(db: Queryable, course: Course, objectKey: string): Promise<MediaUse> {
  if (course.coverImageKey === objectKey) return "cover";
  const uses = await db
    .select({ isPreview: lessons.isPreview })
    .from(lessons)
    .where(and(eq(lessons.courseId, course.id), eq(lessons.mediaKey, objectKey)));
  if (uses.length === 0) return "unattached";
  return uses.some((use) => use.isPreview) ? "preview" : "lesson";
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
