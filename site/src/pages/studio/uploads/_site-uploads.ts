import type { APIContext } from "astro";
import type { ApiResult } from "../../../lib/api";
import { forwardProblem, jsonAnswer, problemAnswer } from "../../../lib/learning-responses";
import { isUuid } from "../../../lib/progress";

/**
 * What the studio uploader's site endpoints share (this folder; `_` keeps the file from being a
 * route). The browser holds no token, so every step of an upload — start, status, each part,
 * complete, abort — goes through the site, which calls the courses API as the signed-in author
 * (docs/site-uploads.md). The API decides who may upload; these endpoints only check the shape
 * of what they pass on, and answer problems (RFC 9457) the uploader's script shows as sentences.
 */

/** A part target as the uploader's script uses it: a site path (proxied) or a presigned R2 URL. */
export interface SitePartTarget {
  readonly partNumber: number;
  readonly sizeBytes: number;
  readonly url: string;
  readonly expiresAt: string | null;
}

/** The upload as the courses API describes it (`MediaUpload` in its OpenAPI document). */
export interface ApiUpload {
  readonly id: string;
  readonly courseId: string;
  readonly objectKey: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly partSizeBytes: number;
  readonly partCount: number;
  readonly status: "uploading" | "completed" | "aborted";
  readonly transfer: "proxy" | "presigned";
  readonly uploadedBytes: number;
  readonly storedParts: ReadonlyArray<{ readonly partNumber: number; readonly sizeBytes: number }>;
  readonly parts: ReadonlyArray<{
    readonly partNumber: number;
    readonly sizeBytes: number;
    readonly url: string;
    readonly expiresAt: string | null;
  }>;
  readonly attachedTo?: unknown;
}

/** The site's own address for one part: what the browser PUTs to when parts are proxied. */
export const sitePartPath = (courseId: string, uploadId: string, partNumber: number) =>
  `/studio/uploads/${courseId}/${uploadId}/parts/${partNumber}`;

/**
 * The upload for the script: the API's proxied part route (which wants a bearer token the browser
 * does not have) becomes the site's part route; a presigned R2 URL stays as it is, since the
 * browser sends those straight to R2.
 */
export function siteUpload(upload: ApiUpload) {
  return {
    id: upload.id,
    courseId: upload.courseId,
    objectKey: upload.objectKey,
    fileName: upload.fileName,
    contentType: upload.contentType,
    sizeBytes: upload.sizeBytes,
    partSizeBytes: upload.partSizeBytes,
    partCount: upload.partCount,
    status: upload.status,
    transfer: upload.transfer,
    uploadedBytes: upload.uploadedBytes,
    storedParts: upload.storedParts.map(({ partNumber, sizeBytes }) => ({ partNumber, sizeBytes })),
    parts: upload.parts.map((part): SitePartTarget => ({
      partNumber: part.partNumber,
      sizeBytes: part.sizeBytes,
      url: part.url.startsWith("/") ? sitePartPath(upload.courseId, upload.id, part.partNumber) : part.url,
      expiresAt: part.expiresAt,
    })),
    ...(upload.attachedTo !== undefined && { attachedTo: upload.attachedTo }),
  };
}

/** An API answer passed on to the script: the upload (site-shaped) or the problem. */
export function uploadAnswer(result: ApiResult<ApiUpload>, fallbackDetail: string, status = 200): Response {
  if (!result.ok) return forwardProblem(result.problem, fallbackDetail, result.headers);
  return jsonAnswer(siteUpload(result.data), status);
}

/** The signed-in author's ids from the route, or the answer refusing them. */
export function uploadRoute(
  context: APIContext,
  names: readonly string[],
): { readonly ok: true; readonly ids: Record<string, string> } | { readonly ok: false; readonly response: Response } {
  if (!context.locals.session) {
    return { ok: false, response: problemAnswer(401, "Sign in to upload media.") };
  }
  const ids: Record<string, string> = {};
  const errors: { path: string; message: string }[] = [];
  for (const name of names) {
    const value = context.params[name];
    if (isUuid(value)) ids[name] = value;
    else errors.push({ path: `param.${name}`, message: "a UUID" });
  }
  if (errors.length > 0) return { ok: false, response: problemAnswer(400, "The address names no upload.", errors) };
  return { ok: true, ids };
}

/**
 * A small JSON body from the uploader's script: an object, at most `maxBytes` long. Larger or
 * malformed bodies are refused before anything is passed on.
 */
export async function jsonBody(
  request: Request,
  maxBytes: number,
  { optional = false } = {},
): Promise<
  { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly response: Response }
> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return { ok: false, response: problemAnswer(413, "The body is too large.") };
  const text = await request.text();
  if (text.trim() === "" && optional) return { ok: true, body: {} };
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return { ok: false, response: problemAnswer(415, "Send the body as application/json.") };
  }
  if (text.length > maxBytes) return { ok: false, response: problemAnswer(413, "The body is too large.") };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, response: problemAnswer(400, "The body is not valid JSON.") };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, response: problemAnswer(400, "The body must be a JSON object.") };
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

/** Only the named fields of a body, so the site passes on nothing the script did not mean to send. */
export function pick(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => body[name] !== undefined).map((name) => [name, body[name]]));
}

/** The API path of an upload (and what follows it). */
export const apiUploadPath = (courseId: string, uploadId?: string, rest = "") =>
  `/api/courses/${courseId}/uploads${uploadId ? `/${uploadId}${rest}` : ""}`;
