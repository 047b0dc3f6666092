import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gatewayUrl, newClientAddress } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { logRecordsFor } from "../../../test/support/worker-log.ts";
import {
  completeUpload,
  course,
  fetchBytes,
  lesson,
  person,
  putPart,
  readUpload,
  sendParts,
  sha256,
  sourceBytes,
  startUpload,
} from "./media-fixtures.ts";

/**
 * Resumable uploads through the real stack: gateway → courses worker → local R2 (Miniflare),
 * parts recorded in PostgreSQL. The file is larger than one part, its upload is cut off in the
 * middle of a part and resumed from what the server says it has, and the stored object is
 * compared byte for byte with the source.
 */
const MiB = 1024 * 1024;
const SIZE = 25 * MiB + 12_345;

let author: Person;
let courseId: string;
let videoLessonId: string;

beforeAll(async () => {
  author = await person("media-author", "instructor");
  courseId = await course(author.userId, "published");
  videoLessonId = await lesson(courseId, "video");
});
afterAll(() => db.end());

/**
 * Sends the first `sentBytes` of a part, then drops the connection, as a browser that loses its
 * network would. The client sees a failed request; the server must store nothing for that part.
 */
async function dropMidPart(
  token: string,
  url: string,
  declared: number,
  firstBytes: Uint8Array,
  correlationId: string,
): Promise<void> {
  const abort = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(firstBytes);
      // Give the bytes time to reach the worker, then cut the connection mid-body.
      setTimeout(() => abort.abort(new Error("network lost")), 500);
    },
  });
  const request = fetch(new URL(url, gatewayUrl), {
    method: "PUT",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/octet-stream",
      "content-length": String(declared),
      "cf-connecting-ip": newClientAddress(),
      "x-correlation-id": correlationId,
    },
    body,
    duplex: "half",
    signal: abort.signal,
  } as RequestInit);
  await expect(request).rejects.toThrow();
}

describe("a multipart upload larger than one part", () => {
  it("is interrupted mid-part, resumed from the parts stored, and the object equals the source", async () => {
    const source = sourceBytes(SIZE, 7);
    const started = await startUpload(author.token, courseId, {
      fileName: "Lesson 1 – intro.mp4",
      contentType: "video/mp4",
      sizeBytes: SIZE,
    });
    expect(started.status).toBe(201);
    const upload = started.body;
    expect(started.headers.get("location")).toBe(`/api/courses/${courseId}/uploads/${upload.id}`);
    expect(upload).toMatchObject({
      courseId,
      contentType: "video/mp4",
      sizeBytes: SIZE,
      partSizeBytes: 10 * MiB,
      partCount: 3,
      status: "uploading",
      transfer: "proxy",
      uploadedBytes: 0,
      storedParts: [],
    });
    expect(upload.objectKey).toBe(`courses/${courseId}/${upload.id}/Lesson-1-intro.mp4`);
    expect(upload.parts.map(({ partNumber, sizeBytes, method }) => ({ partNumber, sizeBytes, method }))).toEqual([
      { partNumber: 1, sizeBytes: 10 * MiB, method: "PUT" },
      { partNumber: 2, sizeBytes: 10 * MiB, method: "PUT" },
      { partNumber: 3, sizeBytes: SIZE - 20 * MiB, method: "PUT" },
    ]);
    expect(upload.parts[1]?.url).toBe(`/api/courses/${courseId}/uploads/${upload.id}/parts/2`);

    // Part 1 arrives; part 2 is cut off after 3 MiB.
    const [first, second] = upload.parts;
    if (!first || !second) throw new Error("expected parts");
    expect((await putPart(author.token, first.url, source.subarray(0, 10 * MiB))).status).toBe(200);
    await dropMidPart(author.token, second.url, 10 * MiB, source.subarray(10 * MiB, 13 * MiB), `drop-${upload.id}`);
    // The courses worker was streaming that part into R2 when the connection went, and refused it.
    const dropped = await vi.waitFor(async () => {
      const line = (await logRecordsFor(`drop-${upload.id}`)).find(
        (record) => record.service === "courses" && record.msg === "request",
      );
      expect(line, "the courses worker's line for the dropped part").toBeDefined();
      return line;
    }, ASYNC_EFFECTS);
    expect(dropped).toMatchObject({ method: "PUT", status: 400 });

    // The client asks what the server has: part 1 only, and where to send 2 and 3.
    const progress = await readUpload(author.token, courseId, upload.id);
    expect(progress.status).toBe(200);
    expect(progress.headers.get("cache-control")).toBe("no-store");
    expect(progress.body.storedParts.map((part) => [part.partNumber, part.sizeBytes])).toEqual([[1, 10 * MiB]]);
    expect(progress.body.uploadedBytes).toBe(10 * MiB);
    expect(progress.body.parts.map((part) => part.partNumber)).toEqual([2, 3]);

    // Completing now is refused, naming what is missing.
    const early = await completeUpload(author.token, courseId, upload.id, { lessonId: videoLessonId });
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain("2, 3");
    expect(early.body.errors?.map((error) => error.path)).toEqual(["parts.2", "parts.3"]);

    // Resume: only the missing parts, last one first; then part 1 again (a replaced part is fine).
    await sendParts(author.token, { ...progress.body, parts: [...progress.body.parts].reverse() }, source);
    expect((await putPart(author.token, first.url, source.subarray(0, 10 * MiB))).status).toBe(200);
    const resumed = await readUpload(author.token, courseId, upload.id);
    expect(resumed.body.storedParts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    expect(resumed.body.uploadedBytes).toBe(SIZE);
    expect(resumed.body.parts).toEqual([]);

    const completed = await completeUpload(author.token, courseId, upload.id, { lessonId: videoLessonId });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      status: "completed",
      sizeBytes: SIZE,
      attachedTo: { lessonId: videoLessonId },
      parts: [],
    });
    const { rows } = await db.query("select media_key from courses.lessons where id = $1", [videoLessonId]);
    expect(rows).toEqual([{ media_key: upload.objectKey }]);
    const events = await db.query(
      "select envelope->'data'->'changed' as changed from courses.outbox where aggregate_id = $1 and type = 'COURSE_UPDATED'",
      [courseId],
    );
    expect(events.rows).toContainEqual({ changed: ["lessons"] });

    // The stored object is the source, byte for byte.
    const stored = await fetchBytes(upload.mediaUrl, { token: author.token });
    expect(stored.status).toBe(200);
    expect(stored.headers.get("content-type")).toBe("video/mp4");
    expect(stored.headers.get("content-length")).toBe(String(SIZE));
    expect(stored.bytes.length).toBe(SIZE);
    expect(sha256(stored.bytes)).toBe(sha256(source));

    // A range across the boundary of parts 1 and 2 is exactly those bytes.
    const from = 10 * MiB - 1000;
    const across = await fetchBytes(upload.mediaUrl, {
      token: author.token,
      headers: { range: `bytes=${from}-${from + 1999}` },
    });
    expect(across.status).toBe(206);
    expect(across.headers.get("content-range")).toBe(`bytes ${from}-${from + 1999}/${SIZE}`);
    expect(Buffer.from(across.bytes).equals(Buffer.from(source.subarray(from, from + 2000)))).toBe(true);

    // Completing again changes nothing (a client whose answer was lost retries); parts are closed.
    const again = await completeUpload(author.token, courseId, upload.id, { lessonId: videoLessonId });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("completed");
    expect((await putPart(author.token, first.url, source.subarray(0, 10 * MiB))).status).toBe(409);
  });
});

describe("parts that do not fit the plan are refused before a byte is stored", () => {
  let uploadId: string;
  const size = 12 * MiB;

  beforeAll(async () => {
    const started = await startUpload(author.token, courseId, {
      fileName: "two-parts.webm",
      contentType: "video/webm",
      sizeBytes: size,
    });
    uploadId = started.body.id;
  });

  const partUrl = (n: number | string) => `/api/courses/${courseId}/uploads/${uploadId}/parts/${n}`;

  it("a part longer than its place: 413; shorter: 400; nothing recorded", async () => {
    const longer = await putPart(author.token, partUrl(2), new Uint8Array(2 * MiB + 1));
    expect(longer.status).toBe(413);
    expect(longer.body).toMatchObject({ type: "/problems/payload-too-large" });
    const shorter = await putPart(author.token, partUrl(1), new Uint8Array(MiB));
    expect(shorter.status).toBe(400);
    expect(String(shorter.body.detail)).toContain(`exactly ${10 * MiB} bytes`);
    expect((await readUpload(author.token, courseId, uploadId)).body.storedParts).toEqual([]);
  });

  it("a part number outside 1..partCount: 400", async () => {
    for (const n of [0, 3, 10_001, "x"])
      expect((await putPart(author.token, partUrl(n), new Uint8Array(10))).status).toBe(400);
  });

  it("an aborted upload takes no more parts and cannot be completed; aborting again is fine", async () => {
    const aborted = await fetch(`${gatewayUrl}/api/courses/${courseId}/uploads/${uploadId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${author.token}`, "cf-connecting-ip": newClientAddress() },
    });
    expect(aborted.status).toBe(204);
    expect((await readUpload(author.token, courseId, uploadId)).body).toMatchObject({ status: "aborted", parts: [] });
    expect((await putPart(author.token, partUrl(2), new Uint8Array(2 * MiB))).status).toBe(409);
    expect((await completeUpload(author.token, courseId, uploadId)).status).toBe(409);
    const again = await fetch(`${gatewayUrl}/api/courses/${courseId}/uploads/${uploadId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${author.token}`, "cf-connecting-ip": newClientAddress() },
    });
    expect(again.status).toBe(204);
  });
});

describe("types and sizes outside the allow-list", () => {
  const GiB = 1024 * MiB;

  async function uploadRows() {
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from courses.media_uploads where course_id = $1",
      [courseId],
    );
    return rows[0]?.n;
  }

  it.each([
    ["an HTML page", { fileName: "x.html", contentType: "text/html", sizeBytes: 100 }, 415],
    ["an SVG (scriptable)", { fileName: "x.svg", contentType: "image/svg+xml", sizeBytes: 100 }, 415],
    ["an executable", { fileName: "x.exe", contentType: "application/x-msdownload", sizeBytes: 100 }, 415],
    [
      "a video as a cover",
      { fileName: "x.mp4", contentType: "video/mp4", sizeBytes: 100, purpose: "cover" as const },
      415,
    ],
    ["a video over 8 GiB", { fileName: "x.mp4", contentType: "video/mp4", sizeBytes: 8 * GiB + 1 }, 413],
    ["an image over 10 MiB", { fileName: "x.png", contentType: "image/png", sizeBytes: 10 * MiB + 1 }, 413],
  ])("%s: refused before anything is created", async (_what, body, status) => {
    const before = await uploadRows();
    const response = await startUpload(author.token, courseId, body);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      type: status === 415 ? "/problems/unsupported-media-type" : "/problems/payload-too-large",
    });
    expect(await uploadRows()).toBe(before);
  });

  it("takes a 6 GB video (over 5 GB) and plans it in 10 MiB parts", async () => {
    const response = await startUpload(author.token, courseId, {
      fileName: "long.mov",
      contentType: "video/quicktime",
      sizeBytes: 6_000_000_000,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ partSizeBytes: 10 * MiB, partCount: Math.ceil(6_000_000_000 / (10 * MiB)) });
    expect(response.body.parts).toHaveLength(response.body.partCount);
  });

  it("invalid input (missing size, zero bytes, unknown fields): 400 with field errors", async () => {
    for (const body of [
      { fileName: "a.mp4", contentType: "video/mp4" },
      { fileName: "a.mp4", contentType: "video/mp4", sizeBytes: 0 },
      { fileName: "a.mp4", contentType: "video/mp4", sizeBytes: 10, extra: true },
    ]) {
      const response = await startUpload(author.token, courseId, body as never);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ type: "/problems/validation-failed" });
    }
  });
});

describe("completing onto a target", () => {
  it("a cover must be an image and a video lesson a video (422); a text lesson takes no media", async () => {
    const pdf = await startUpload(author.token, courseId, {
      fileName: "notes.pdf",
      contentType: "application/pdf",
      sizeBytes: 64,
    });
    await sendParts(author.token, pdf.body, sourceBytes(64));
    const textLesson = await lesson(courseId, "text");
    const otherCourseLesson = await lesson(await course(author.userId), "file");
    expect((await completeUpload(author.token, courseId, pdf.body.id, { purpose: "cover" })).status).toBe(422);
    expect((await completeUpload(author.token, courseId, pdf.body.id, { lessonId: videoLessonId })).status).toBe(422);
    expect((await completeUpload(author.token, courseId, pdf.body.id, { lessonId: textLesson })).status).toBe(422);
    expect((await completeUpload(author.token, courseId, pdf.body.id, { lessonId: otherCourseLesson })).status).toBe(
      404,
    );
    expect(
      (await completeUpload(author.token, courseId, pdf.body.id, { lessonId: videoLessonId, purpose: "cover" })).status,
    ).toBe(400);
    // None of that completed it; a file lesson takes it.
    expect((await readUpload(author.token, courseId, pdf.body.id)).body.status).toBe("uploading");
    const fileLesson = await lesson(courseId, "file");
    const done = await completeUpload(author.token, courseId, pdf.body.id, { lessonId: fileLesson });
    expect(done.status).toBe(200);
    expect(done.body.attachedTo).toEqual({ lessonId: fileLesson });
  });

  it("an image completed as the cover becomes the course's cover", async () => {
    const png = await startUpload(author.token, courseId, {
      fileName: "cover.png",
      contentType: "image/png",
      sizeBytes: 2048,
      purpose: "cover",
    });
    await sendParts(author.token, png.body, sourceBytes(2048, 3));
    const done = await completeUpload(author.token, courseId, png.body.id, { purpose: "cover" });
    expect(done.status).toBe(200);
    expect(done.body.attachedTo).toEqual({ cover: true });
    const { rows } = await db.query("select cover_image_key from courses.courses where id = $1", [courseId]);
    expect(rows).toEqual([{ cover_image_key: png.body.objectKey }]);
  });
});
