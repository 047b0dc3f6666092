import { and, eq, sql } from "drizzle-orm";
import { ProblemError, errorText, logLine } from "@platform/http-kit";
import { recordCourseUpdated, type EventContext } from "../courses.ts";
import { courses, lessons, mediaUploadParts, mediaUploads } from "../db/schema.ts";
import type { Database } from "../db/database.ts";
import type { Course } from "../permissions.ts";
import { expectedPartSize, partNumbers } from "./part-plan.ts";
import { MEDIA_TYPES } from "./policy.ts";
import type { MediaStore, StoredPart } from "./store.ts";
import { planOf, storedParts, type Upload } from "./uploads.ts";

/** What a completed upload becomes: a lesson's media, the course's cover, or nothing yet. */
export type AttachTarget = { readonly lessonId: string } | { readonly cover: true } | null;

/**
 * Checks the target before anything is completed: the lesson is this course's and takes media
 * of this type (a video lesson a video, a file lesson any allowed file), a cover is an image.
 */
async function checkTarget(db: Database, course: Course, upload: Upload, target: AttachTarget): Promise<void> {
  if (target === null) return;
  if ("cover" in target) {
    if (!MEDIA_TYPES[upload.contentType]?.covers) {
      throw new ProblemError("unprocessable", {
        errors: [{ path: "purpose", message: `a cover must be an image, not ${upload.contentType}` }],
      });
    }
    return;
  }
  const [lesson] = await db
    .select({ kind: lessons.kind })
    .from(lessons)
    .where(and(eq(lessons.id, target.lessonId), eq(lessons.courseId, course.id)));
  if (!lesson) throw new ProblemError("not-found", { detail: "No such lesson in this course." });
  const fits = lesson.kind === "file" || (lesson.kind === "video" && upload.contentType.startsWith("video/"));
  if (!fits) {
    throw new ProblemError("unprocessable", {
      errors: [{ path: "lessonId", message: `a ${lesson.kind} lesson cannot take ${upload.contentType} media` }],
    });
  }
}

/**
 * The parts to complete with: those this API stored (proxied), else the ETags the client got
 * from R2 for parts it sent to presigned URLs. Every part must be there, each stored one with
 * the size the plan gives it; otherwise 409 naming what is missing, so the client sends it.
 */
async function partsToComplete(db: Database, upload: Upload, reported: readonly StoredPart[]): Promise<StoredPart[]> {
  const plan = planOf(upload);
  const recorded = new Map((await storedParts(db, upload.id)).map((part) => [part.partNumber, part]));
  const fromClient = new Map(reported.map((part) => [part.partNumber, part.etag]));
  const parts: StoredPart[] = [];
  const missing: number[] = [];
  for (const partNumber of partNumbers(plan)) {
    const stored = recorded.get(partNumber);
    const etag =
      stored && stored.sizeBytes === expectedPartSize(plan, partNumber) ? stored.etag : fromClient.get(partNumber);
    if (etag === undefined) missing.push(partNumber);
    else parts.push({ partNumber, etag });
  }
  if (missing.length > 0) {
    throw new ProblemError("conflict", {
      detail: `Parts still missing: ${missing.join(", ")}. Send them, then complete the upload.`,
      errors: missing.map((partNumber) => ({ path: `parts.${partNumber}`, message: "not uploaded" })),
    });
  }
  return parts;
}

/**
 * Completes the upload in R2 and answers the object's size. A completion that R2 refuses because
 * it already happened (a retry after the answer was lost) is recognised by the object being
 * there at the promised size.
 */
async function completeInStore(store: MediaStore, upload: Upload, parts: StoredPart[]): Promise<number> {
  try {
    return (await store.resumeMultipartUpload(upload.objectKey, upload.uploadId).complete(parts)).size;
  } catch (error) {
    const existing = await store.head(upload.objectKey);
    if (existing?.size === upload.sizeBytes) return existing.size;
    logLine("warn", "courses", "upload not completed", { uploadId: upload.id, error: errorText(error) });
    throw new ProblemError("conflict", {
      detail: "Storage could not assemble the parts; send them again, then complete.",
    });
  }
}

async function attach(db: Database, course: Course, upload: Upload, target: AttachTarget, context: EventContext) {
  if (target === null) return;
  await db.transaction(async (tx) => {
    if ("cover" in target) {
      const [updated] = await tx
        .update(courses)
        .set({ coverImageKey: upload.objectKey, updatedAt: sql`now()` })
        .where(eq(courses.id, course.id))
        .returning();
      if (!updated) throw new ProblemError("not-found", { detail: "No such course." });
      await recordCourseUpdated(tx, updated, ["coverImage"], context);
      return;
    }
    const attached = await tx
      .update(lessons)
      .set({ mediaKey: upload.objectKey, updatedAt: sql`now()` })
      .where(and(eq(lessons.id, target.lessonId), eq(lessons.courseId, course.id)))
      .returning({ id: lessons.id });
    if (attached.length === 0) throw new ProblemError("not-found", { detail: "No such lesson in this course." });
    await recordCourseUpdated(tx, course, ["lessons"], context);
  });
}

/**
 * Completes an upload and, when asked, attaches the media to a lesson or as the cover.
 * Idempotent: completing a completed upload again only (re)attaches it, so a client whose
 * answer was lost can simply retry.
 */
export async function completeUpload(
  db: Database,
  store: MediaStore,
  course: Course,
  upload: Upload,
  request: { target: AttachTarget; reportedParts: readonly StoredPart[] },
  context: EventContext,
): Promise<Upload> {
  if (upload.status === "aborted")
    throw new ProblemError("conflict", { detail: "The upload was aborted; start a new one." });
  await checkTarget(db, course, upload, request.target);
  let completed = upload;
  if (upload.status === "uploading") {
    const size = await completeInStore(store, upload, await partsToComplete(db, upload, request.reportedParts));
    if (size !== upload.sizeBytes) {
      // Only presigned parts escape the size checks. The file is not the one announced and
      // checked against the allow-list, so it goes, and so does the upload.
      await store.delete(upload.objectKey);
      await db.update(mediaUploads).set({ status: "aborted" }).where(eq(mediaUploads.id, upload.id));
      throw new ProblemError("conflict", {
        detail: `The uploaded file has ${size} bytes, not the ${upload.sizeBytes} announced; start a new upload.`,
      });
    }
    const [row] = await db
      .update(mediaUploads)
      .set({ status: "completed", completedAt: sql`now()` })
      .where(and(eq(mediaUploads.id, upload.id), eq(mediaUploads.status, "uploading")))
      .returning();
    // Another request completed it in the meantime, or the abandoned-upload sweep took it.
    const [current] = row ? [row] : await db.select().from(mediaUploads).where(eq(mediaUploads.id, upload.id));
    if (current?.status !== "completed")
      throw new ProblemError("conflict", { detail: "The upload was aborted meanwhile." });
    completed = current;
    await db.delete(mediaUploadParts).where(eq(mediaUploadParts.uploadId, upload.id));
  }
  await attach(db, course, completed, request.target, context);
  return completed;
}
