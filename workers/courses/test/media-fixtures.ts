import { createHash, randomUUID } from "node:crypto";
import { api, gatewayUrl, newClientAddress } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { personWith, type Person } from "../../../test/support/people.ts";

/**
 * What the media platform tests share: courses and lessons written straight into PostgreSQL (the
 * authoring routes are not what these tests prove), and raw HTTP helpers for part bodies and
 * media, which `api()` (JSON only) does not send or read. People come from test/support/people.ts.
 */
export type Role = "learner" | "instructor" | "admin";

/** A new account with the given role, signed in again after the role change so its token carries it. */
export const person = (tag: string, role: Role = "learner"): Promise<Person> => personWith([role], tag);

export async function course(
  authorId: string,
  status: "draft" | "published" | "archived" = "published",
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into courses.courses (id, author_id, slug, title, summary, status, published_at)
     values ($1, $2, $3, 'Media test course', 'For media tests', $4::courses.course_status, $5)`,
    [id, authorId, `media-test-${id}`, status, status === "draft" ? null : new Date()],
  );
  return id;
}

let position = 0;
export async function lesson(courseId: string, kind: "video" | "file" | "text", isPreview = false): Promise<string> {
  const id = randomUUID();
  position += 1;
  await db.query(
    `insert into courses.lessons (id, course_id, position, title, kind, body_markdown, is_preview)
     values ($1, $2, $3, 'A lesson', $4, $5, $6)`,
    [id, courseId, position, kind, kind === "text" ? "Some text" : null, isPreview],
  );
  return id;
}

export async function enroll(userId: string, courseId: string): Promise<void> {
  await db.query(
    "insert into courses.enrollments (id, user_id, course_id, via, reference) values ($1, $2, $3, 'free_enrollment', 'free')",
    [randomUUID(), userId, courseId],
  );
}

/** Deterministic, incompressible-looking bytes: byte i depends on i and the seed. */
export function sourceBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < size; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export interface PartTarget {
  partNumber: number;
  sizeBytes: number;
  method: "PUT";
  url: string;
  expiresAt: string | null;
}

export interface UploadView {
  id: string;
  courseId: string;
  objectKey: string;
  mediaUrl: string;
  contentType: string;
  sizeBytes: number;
  partSizeBytes: number;
  partCount: number;
  status: "uploading" | "completed" | "aborted";
  transfer: "proxy" | "presigned";
  uploadedBytes: number;
  storedParts: { partNumber: number; sizeBytes: number; etag: string }[];
  parts: PartTarget[];
  attachedTo?: unknown;
}

export function startUpload(
  token: string | undefined,
  courseId: string,
  body: { fileName: string; contentType: string; sizeBytes: number; purpose?: "lesson" | "cover" },
) {
  return api<UploadView>("POST", `/api/courses/${courseId}/uploads`, { token, body });
}

export function readUpload(token: string, courseId: string, uploadId: string) {
  return api<UploadView>("GET", `/api/courses/${courseId}/uploads/${uploadId}`, { token });
}

export function completeUpload(token: string, courseId: string, uploadId: string, body?: Record<string, unknown>) {
  return api<UploadView & { detail?: string; errors?: { path: string }[] }>(
    "POST",
    `/api/courses/${courseId}/uploads/${uploadId}/complete`,
    body === undefined ? { token } : { token, body },
  );
}

/** PUTs raw bytes to a part URL (relative to the gateway); answers the status and the JSON body. */
export async function putPart(
  token: string | undefined,
  url: string,
  bytes: Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(new URL(url, gatewayUrl), {
    method: "PUT",
    headers: {
      "content-type": "application/octet-stream",
      "cf-connecting-ip": newClientAddress(),
      ...(token && { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: bytes,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Sends every part a view still lists, slicing them from the source. */
export async function sendParts(
  token: string,
  view: Pick<UploadView, "parts" | "partSizeBytes">,
  source: Uint8Array<ArrayBuffer>,
) {
  for (const part of view.parts) {
    const offset = (part.partNumber - 1) * view.partSizeBytes;
    const sent = await putPart(token, part.url, source.subarray(offset, offset + part.sizeBytes));
    if (sent.status !== 200)
      throw new Error(`part ${part.partNumber} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  }
}

/** Start, send every part, complete (optionally attached): a finished upload's view. */
export async function uploadWhole(
  token: string,
  courseId: string,
  file: { fileName: string; contentType: string; bytes: Uint8Array<ArrayBuffer>; purpose?: "lesson" | "cover" },
  attach?: Record<string, unknown>,
): Promise<UploadView> {
  const started = await startUpload(token, courseId, {
    fileName: file.fileName,
    contentType: file.contentType,
    sizeBytes: file.bytes.length,
    ...(file.purpose && { purpose: file.purpose }),
  });
  if (started.status !== 201) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  await sendParts(token, started.body, file.bytes);
  const completed = await completeUpload(token, courseId, started.body.id, attach);
  if (completed.status !== 200)
    throw new Error(`complete answered ${completed.status}: ${JSON.stringify(completed.body)}`);
  return completed.body;
}

/** GETs media (or anything) through the gateway and keeps the bytes. */
export async function fetchBytes(
  path: string,
  options: { token?: string; headers?: Record<string, string>; method?: string } = {},
) {
  const response = await fetch(new URL(path, gatewayUrl), {
    method: options.method ?? "GET",
    headers: {
      "cf-connecting-ip": newClientAddress(),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
  });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}
