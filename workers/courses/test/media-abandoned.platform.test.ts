import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import * as schema from "../src/db/schema.ts";
import { abortAbandonedUploads } from "../src/media/abandoned.ts";
import type { MediaStore } from "../src/media/store.ts";
import {
  completeUpload,
  course,
  person,
  putPart,
  readUpload,
  sourceBytes,
  startUpload,
  type UploadView,
} from "./media-fixtures.ts";

/**
 * Abandoned uploads. First the sweep's choice of uploads, on the real database: uploads started
 * through the API, then aged with SQL, swept with a stand-in for R2 that records the aborts it is
 * asked for. Then the whole chore as it runs: the gateway's cron asks the courses worker (RPC),
 * which aborts the upload in the real (local) R2.
 */
const MiB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;
// The worker's own driver (Neon over the local WebSocket proxy), so the domain code runs as it does in workerd.
const courses = openDatabase(
  { DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: `127.0.0.1:${inject("proxyPort")}` },
  schema,
);

function recordingStore(): MediaStore & { aborted: string[] } {
  const aborted: string[] = [];
  const refuse = () => Promise.reject(new Error("the sweep only aborts"));
  return {
    aborted,
    createMultipartUpload: refuse,
    head: refuse,
    get: refuse,
    delete: refuse,
    resumeMultipartUpload: (key) => ({
      uploadPart: refuse,
      complete: refuse,
      abort: async () => {
        aborted.push(key);
      },
    }),
  };
}

let author: Person;
let courseId: string;

beforeAll(async () => {
  author = await person("sweep-author", "instructor");
  courseId = await course(author.userId, "draft");
});
afterAll(async () => {
  await courses.close();
  await db.end();
});

async function started(sizeBytes = 12 * MiB): Promise<UploadView> {
  const response = await startUpload(author.token, courseId, {
    fileName: "clip.mp4",
    contentType: "video/mp4",
    sizeBytes,
  });
  expect(response.status).toBe(201);
  return response.body;
}

const age = (uploadId: string, days: number) =>
  db.query("update courses.media_uploads set created_at = now() - make_interval(days => $2) where id = $1", [
    uploadId,
    days,
  ]);

describe("abortAbandonedUploads", () => {
  it("aborts uploads idle since the cut-off, and leaves moving, fresh and completed ones alone", async () => {
    const idle = await started();
    const idleWithOldPart = await started();
    const stillMoving = await started();
    const fresh = await started();
    const completed = await started(1000);

    for (const upload of [idleWithOldPart, stillMoving]) {
      const first = upload.parts[0];
      if (!first) throw new Error("expected a part");
      expect((await putPart(author.token, first.url, sourceBytes(10 * MiB))).status).toBe(200);
    }
    const only = completed.parts[0];
    if (!only) throw new Error("expected a part");
    expect((await putPart(author.token, only.url, sourceBytes(1000))).status).toBe(200);
    expect((await completeUpload(author.token, courseId, completed.id)).status).toBe(200);

    for (const upload of [idle, idleWithOldPart, stillMoving, completed]) await age(upload.id, 3);
    await db.query(
      "update courses.media_upload_parts set uploaded_at = now() - interval '3 days' where upload_id = $1",
      [idleWithOldPart.id],
    );

    const store = recordingStore();
    const aborted = await abortAbandonedUploads(courses.db, store, new Date(Date.now() - DAY));
    // Only this course's uploads are judged here: another test file may have left idle ones too.
    const ours = store.aborted.filter((key) => key.startsWith(`courses/${courseId}/`));
    expect(ours.sort()).toEqual([idle.objectKey, idleWithOldPart.objectKey].sort());
    expect(aborted).toBe(store.aborted.length);

    const statuses = await Promise.all(
      [idle, idleWithOldPart, stillMoving, fresh, completed].map(
        async (upload) => (await readUpload(author.token, courseId, upload.id)).body.status,
      ),
    );
    expect(statuses).toEqual(["aborted", "aborted", "uploading", "uploading", "completed"]);
    const { rows } = await db.query("select count(*)::int as n from courses.media_upload_parts where upload_id = $1", [
      idleWithOldPart.id,
    ]);
    expect(rows).toEqual([{ n: 0 }]);

    // An aborted upload takes no more parts; a second sweep finds nothing left to do.
    const part = idle.parts[0];
    if (!part) throw new Error("expected a part");
    expect((await putPart(author.token, part.url, sourceBytes(10 * MiB))).status).toBe(409);
    const again = recordingStore();
    await abortAbandonedUploads(courses.db, again, new Date(Date.now() - DAY));
    expect(again.aborted.filter((key) => key.startsWith(`courses/${courseId}/`))).toEqual([]);
  });
});

describe("the gateway's cron", () => {
  it("aborts an upload idle for over a day in R2 itself, through the courses worker", async () => {
    const file = sourceBytes(1000, 9);
    const upload = await started(file.length);
    const part = upload.parts[0];
    if (!part) throw new Error("expected a part");
    const stored = await putPart(author.token, part.url, file);
    expect(stored.status).toBe(200);
    await age(upload.id, 2);
    await db.query(
      "update courses.media_upload_parts set uploaded_at = now() - interval '2 days' where upload_id = $1",
      [upload.id],
    );

    await triggerOutboxSweep(gatewayUrl);
    await expect
      .poll(async () => (await readUpload(author.token, courseId, upload.id)).body.status, {
        ...ASYNC_EFFECTS,
        message: "the idle upload aborted by the cron",
      })
      .toBe("aborted");

    // Had R2 kept the upload, its one stored part would complete it now; R2 no longer knows it.
    await db.query("update courses.media_uploads set status = 'uploading' where id = $1", [upload.id]);
    await db.query(
      "insert into courses.media_upload_parts (upload_id, part_number, etag, size_bytes) values ($1, 1, $2, $3)",
      [upload.id, stored.body.etag, file.length],
    );
    const completing = await completeUpload(author.token, courseId, upload.id);
    expect(completing.status).toBe(409);
    expect(completing.body.detail).toContain("could not assemble");
  });
});
