import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { getPlatformProxy } from "wrangler";
import { mediaObjectKey } from "../src/media/object-key.ts";
import type { MediaStore } from "../src/media/store.ts";

/** What a routes test does with the bucket beyond what the worker does: put an object straight in. */
export interface LocalBucket extends MediaStore {
  put(key: string, value: Uint8Array, options: { httpMetadata: { contentType: string } }): Promise<unknown>;
}

/**
 * A real R2 bucket for a routes test: wrangler's platform proxy runs workerd's local R2 (the one
 * `wrangler dev` uses) and hands its binding to Node, where the in-process app serves media from
 * it as its `MEDIA`, ranges and all. Kept in a throw-away folder.
 */
export async function localBucket(): Promise<{ bucket: LocalBucket; dispose(): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), "courses-r2-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "courses-r2-test",
      compatibility_date: "2026-11-01",
      r2_buckets: [{ binding: "MEDIA", bucket_name: "platform-course-media" }],
    }),
  );
  const proxy = await getPlatformProxy<{ MEDIA: LocalBucket }>({
    configPath: config,
    persist: { path: join(folder, "state") },
  });
  return {
    bucket: proxy.env.MEDIA,
    dispose: async () => {
      await proxy.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A completed upload of a course, as the upload routes leave one: the object in the bucket and its
 * `media_uploads` row. Written directly because the part route streams through workerd's
 * FixedLengthStream, which Node has not; the platform tests upload through the API.
 */
export async function storedUpload(
  pool: pg.Pool,
  bucket: LocalBucket,
  upload: { courseId: string; createdBy: string; fileName: string; contentType: string; bytes: Uint8Array },
): Promise<string> {
  const id = uuidv7();
  const objectKey = mediaObjectKey(upload.courseId, id, upload.fileName);
  await bucket.put(objectKey, upload.bytes, { httpMetadata: { contentType: upload.contentType } });
  await pool.query(
    `insert into courses.media_uploads
       (id, course_id, created_by, object_key, upload_id, file_name, content_type, size_bytes, part_size_bytes,
        status, completed_at)
     values ($1, $2, $3, $4, 'stored-by-test', $5, $6, $7, $8, 'completed', now())`,
    [
      id,
      upload.courseId,
      upload.createdBy,
      objectKey,
      upload.fileName,
      upload.contentType,
      upload.bytes.length,
      upload.bytes.length,
    ],
  );
  return objectKey;
}
