import { and, eq, gte, lt, notExists } from "drizzle-orm";
import { ProblemError } from "@platform/http-kit";
import { mediaUploadParts, mediaUploads } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import type { MediaStore } from "./store.ts";
import { abortUpload } from "./uploads.ts";

/** How many uploads one sweep aborts at most; the next sweep takes the rest. */
export const ABANDONED_BATCH = 100;

/**
 * Aborts uploads nobody has worked on since `olderThan`: started before it and with no part
 * stored since. Measured from the last part, not the start, so a slow multi-gigabyte upload
 * that is still moving is never cut off. Returns how many were aborted. For the cron sweep.
 */
export async function abortAbandonedUploads(db: Queryable, store: MediaStore, olderThan: Date): Promise<number> {
  const recentPart = db
    .select({ one: mediaUploadParts.partNumber })
    .from(mediaUploadParts)
    .where(and(eq(mediaUploadParts.uploadId, mediaUploads.id), gte(mediaUploadParts.uploadedAt, olderThan)));
  const abandoned = await db
    .select()
    .from(mediaUploads)
    .where(and(eq(mediaUploads.status, "uploading"), lt(mediaUploads.createdAt, olderThan), notExists(recentPart)))
    .orderBy(mediaUploads.createdAt)
    .limit(ABANDONED_BATCH);
  let aborted = 0;
  for (const upload of abandoned) {
    try {
      if (await abortUpload(db, store, upload)) aborted += 1;
    } catch (error) {
      // Completed meanwhile: it is no longer abandoned, so it is left alone.
      if (!(error instanceof ProblemError && error.status === 409)) throw error;
    }
  }
  return aborted;
}
