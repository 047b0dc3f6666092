import { and, asc, eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow } from "@platform/db";
import { ProblemError, errorText, logLine } from "@platform/http-kit";
import { mediaUploadParts, mediaUploads } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import { mediaObjectKey } from "./object-key.ts";
import { expectedPartSize, planParts, type PartPlan } from "./part-plan.ts";
import { checkUpload, type UploadPurpose } from "./policy.ts";
import type { MediaStore } from "./store.ts";

export type Upload = typeof mediaUploads.$inferSelect;
export type UploadPart = typeof mediaUploadParts.$inferSelect;

export interface NewUpload {
  readonly courseId: string;
  readonly createdBy: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly purpose: UploadPurpose;
}

export const planOf = (upload: Upload): PartPlan => ({
  sizeBytes: upload.sizeBytes,
  partSizeBytes: upload.partSizeBytes,
  partCount: Math.ceil(upload.sizeBytes / upload.partSizeBytes),
});

const notFound = () => new ProblemError("not-found", { detail: "No such upload for this course." });

/**
 * Starts a multipart upload: the type and size are checked against the allow-list first (415 /
 * 413), so a refused file leaves nothing in R2 or PostgreSQL. The row remembers the promised
 * size and part size; every part and the completion are checked against it.
 */
export async function startUpload(db: Queryable, store: MediaStore, input: NewUpload): Promise<Upload> {
  const contentType = checkUpload(input.contentType, input.sizeBytes, input.purpose);
  const plan = planParts(input.sizeBytes);
  const id = uuidv7();
  const objectKey = mediaObjectKey(input.courseId, id, input.fileName);
  const multipart = await store.createMultipartUpload(objectKey, { httpMetadata: { contentType } });
  try {
    return insertedRow(
      await db
        .insert(mediaUploads)
        .values({
          id,
          courseId: input.courseId,
          createdBy: input.createdBy,
          objectKey,
          uploadId: multipart.uploadId,
          fileName: input.fileName,
          contentType,
          sizeBytes: plan.sizeBytes,
          partSizeBytes: plan.partSizeBytes,
        })
        .returning(),
    );
  } catch (error) {
    // Nothing refers to the R2 upload now; do not leave it for R2's own week-long expiry.
    await store
      .resumeMultipartUpload(objectKey, multipart.uploadId)
      .abort()
      .catch(() => {});
    throw error;
  }
}

export async function findUpload(db: Queryable, courseId: string, uploadId: string): Promise<Upload> {
  const [upload] = await db
    .select()
    .from(mediaUploads)
    .where(and(eq(mediaUploads.id, uploadId), eq(mediaUploads.courseId, courseId)))
    .limit(1);
  if (!upload) throw notFound();
  return upload;
}

export async function storedParts(db: Queryable, uploadId: string): Promise<UploadPart[]> {
  return db
    .select()
    .from(mediaUploadParts)
    .where(eq(mediaUploadParts.uploadId, uploadId))
    .orderBy(asc(mediaUploadParts.partNumber));
}

function requireUploading(upload: Upload): void {
  if (upload.status !== "uploading") {
    throw new ProblemError("conflict", {
      detail: `The upload is ${upload.status}; start a new one to send this file again.`,
    });
  }
}

/**
 * Checks a part before a byte of it is stored: its number is in the plan and its declared
 * length is exactly that part's size (the part size, or the remainder for the last), since R2
 * refuses to complete uploads whose parts differ.
 */
export function checkPart(upload: Upload, partNumber: number, declaredLength: number | undefined): number {
  requireUploading(upload);
  const plan = planOf(upload);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new ProblemError("bad-request", {
      detail: `This upload has parts 1 to ${plan.partCount}; there is no part ${partNumber}.`,
    });
  }
  const expected = expectedPartSize(plan, partNumber);
  if (declaredLength === undefined) {
    throw new ProblemError("length-required", {
      detail: `Send part ${partNumber} with a Content-Length of ${expected}.`,
    });
  }
  if (declaredLength !== expected) {
    throw new ProblemError(declaredLength > expected ? "payload-too-large" : "bad-request", {
      detail: `Part ${partNumber} must be exactly ${expected} bytes; this one declares ${declaredLength}.`,
    });
  }
  return expected;
}

/**
 * Streams one part into R2 and records it (R2's binding cannot list an upload's parts). Sending
 * a part again replaces it, in R2 and here, so a client that is unsure whether a part arrived
 * simply sends it again. `body` must deliver exactly the checked length.
 */
export async function storePart(
  db: Queryable,
  store: MediaStore,
  upload: Upload,
  partNumber: number,
  sizeBytes: number,
  body: ReadableStream<Uint8Array>,
): Promise<UploadPart> {
  let etag: string;
  try {
    ({ etag } = await store.resumeMultipartUpload(upload.objectKey, upload.uploadId).uploadPart(partNumber, body));
  } catch (error) {
    // Usually a body that ended early (a dropped connection); R2's own words stay in the log.
    logLine("warn", "courses", "upload part not stored", { uploadId: upload.id, partNumber, error: errorText(error) });
    throw new ProblemError("bad-request", {
      detail: `Part ${partNumber} was not stored (did its body end early?); send it again.`,
    });
  }
  const row = { uploadId: upload.id, partNumber, etag, sizeBytes, uploadedAt: new Date() };
  // An upsert without a condition on its update writes (and returns) a row either way.
  return insertedRow(
    await db
      .insert(mediaUploadParts)
      .values(row)
      .onConflictDoUpdate({
        target: [mediaUploadParts.uploadId, mediaUploadParts.partNumber],
        set: { etag, sizeBytes, uploadedAt: row.uploadedAt },
      })
      .returning(),
  );
}

/**
 * Aborts an upload in R2 and here; answers whether this call aborted it. Marked aborted first
 * (only while still uploading), so a completion racing with it finds the row taken and stops.
 * An upload R2 no longer knows (already aborted, or expired) is aborted all the same, and R2
 * drops incomplete uploads itself after a week, so a failed abort call is not retried.
 */
export async function abortUpload(db: Queryable, store: MediaStore, upload: Upload): Promise<boolean> {
  if (upload.status === "aborted") return false;
  const completed = () =>
    new ProblemError("conflict", {
      detail: "The upload is completed; its media stays until the course no longer uses it.",
    });
  if (upload.status === "completed") throw completed();
  const taken = await db
    .update(mediaUploads)
    .set({ status: "aborted" })
    .where(and(eq(mediaUploads.id, upload.id), eq(mediaUploads.status, "uploading")))
    .returning({ id: mediaUploads.id });
  if (taken.length === 0) {
    const [current] = await db
      .select({ status: mediaUploads.status })
      .from(mediaUploads)
      .where(eq(mediaUploads.id, upload.id));
    if (current?.status === "completed") throw completed();
    return false;
  }
  await store
    .resumeMultipartUpload(upload.objectKey, upload.uploadId)
    .abort()
    .catch(() => {});
  await db.delete(mediaUploadParts).where(eq(mediaUploadParts.uploadId, upload.id));
  return true;
}
