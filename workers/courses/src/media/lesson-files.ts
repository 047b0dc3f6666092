import { and, eq, inArray } from "drizzle-orm";
import { ProblemError, type FieldError } from "@platform/http-kit";
import { mediaUploads, type LessonCaption, type LessonDownload } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";

/** A player's menu of a dozen languages is plenty; the cap keeps a lesson row small. */
export const MAX_CAPTIONS = 20;
export const MAX_DOWNLOADS = 20;
const CAPTION_TYPE = "text/vtt";

export interface CaptionInput {
  readonly language: string;
  readonly label: string;
  /** An upload's `objectKey`, as its view answered it. */
  readonly key: string;
}

export interface DownloadInput {
  readonly key: string;
  /** The name the learner saves it as; the uploaded file's name when left out. */
  readonly fileName?: string | undefined;
}

export interface LessonFiles {
  readonly captions?: LessonCaption[];
  readonly downloads?: LessonDownload[];
}

/**
 * Turns the captions and downloads an author sent into what the lesson stores, checked against
 * the course's uploads in one query: each key must be a completed upload of THIS course (a key of
 * another course would let its author publish someone else's paid file), and a caption a WebVTT
 * file. A download's type and size are the upload's, never the author's say. Every key that does
 * not fit is listed (422).
 */
export async function resolveLessonFiles(
  db: Queryable,
  courseId: string,
  input: { readonly captions?: readonly CaptionInput[]; readonly downloads?: readonly DownloadInput[] },
): Promise<LessonFiles> {
  const keys = [...(input.captions ?? []), ...(input.downloads ?? [])].map((file) => file.key);
  if (keys.length === 0) return { ...(input.captions && { captions: [] }), ...(input.downloads && { downloads: [] }) };
  const found = await db
    .select({
      objectKey: mediaUploads.objectKey,
      fileName: mediaUploads.fileName,
      contentType: mediaUploads.contentType,
      sizeBytes: mediaUploads.sizeBytes,
    })
    .from(mediaUploads)
    .where(
      and(
        eq(mediaUploads.courseId, courseId),
        eq(mediaUploads.status, "completed"),
        inArray(mediaUploads.objectKey, [...new Set(keys)]),
      ),
    );
  const uploads = new Map(found.map((upload) => [upload.objectKey, upload]));
  const errors: FieldError[] = [];
  const uploadAt = (path: string, key: string) => {
    const upload = uploads.get(key);
    if (!upload) errors.push({ path, message: "not a completed upload of this course (send the upload's objectKey)" });
    return upload;
  };

  const captions: LessonCaption[] = [];
  input.captions?.forEach((caption, index) => {
    const path = `captions.${index}.key`;
    const upload = uploadAt(path, caption.key);
    if (upload && upload.contentType !== CAPTION_TYPE) {
      errors.push({ path, message: `a caption track must be WebVTT (${CAPTION_TYPE}), not ${upload.contentType}` });
    } else if (upload) {
      captions.push({ language: caption.language, label: caption.label, key: caption.key });
    }
  });
  const downloads: LessonDownload[] = [];
  input.downloads?.forEach((download, index) => {
    const upload = uploadAt(`downloads.${index}.key`, download.key);
    if (upload) {
      downloads.push({
        fileName: download.fileName ?? upload.fileName,
        key: download.key,
        contentType: upload.contentType,
        sizeBytes: upload.sizeBytes,
      });
    }
  });
  if (errors.length > 0) throw new ProblemError("unprocessable", { errors });
  return { ...(input.captions && { captions }), ...(input.downloads && { downloads }) };
}
