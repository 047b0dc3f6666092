import type { Queryable } from "../db/database.ts";
import { partNumbers } from "./part-plan.ts";
import { partTargets, type PartTarget, type S3Target } from "./part-urls.ts";
import { planOf, storedParts, type Upload, type UploadPart } from "./uploads.ts";

/**
 * What an interrupted client needs to resume: the parts already stored and where to send the
 * rest. With presigned URLs the parts go to R2 directly and this API never sees them, so it
 * lists every part as still to send: such a client keeps the ETags R2 gave it and skips those.
 */
export interface UploadProgress {
  readonly upload: Upload;
  readonly transfer: "proxy" | "presigned";
  readonly stored: readonly UploadPart[];
  readonly toSend: readonly PartTarget[];
}

export async function uploadProgress(
  db: Queryable,
  upload: Upload,
  s3: S3Target | undefined,
  now: Date,
): Promise<UploadProgress> {
  const transfer = s3 ? "presigned" : "proxy";
  if (upload.status !== "uploading") return { upload, transfer, stored: [], toSend: [] };
  const stored = await storedParts(db, upload.id);
  const have = new Set(stored.map((part) => part.partNumber));
  const plan = planOf(upload);
  const toSend = await partTargets(
    {
      courseId: upload.courseId,
      uploadId: upload.id,
      objectKey: upload.objectKey,
      r2UploadId: upload.uploadId,
      plan,
      now,
    },
    s3,
    partNumbers(plan).filter((partNumber) => !have.has(partNumber)),
  );
  return { upload, transfer, stored, toSend };
}
