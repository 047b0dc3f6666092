import { createMiddleware } from "hono/factory";
import { hasCacheDirective } from "./cache-control.ts";

/**
 * A JSON body is hashed whole before the answer leaves, so this bounds what one answer may hold
 * up: every JSON answer here is built in memory by `c.json` and is far smaller. A longer one (a
 * JSON body streamed by hand) goes out without an ETag: what was read is passed on, and the rest
 * streams as it comes.
 */
export const MAX_HASHED_JSON_BYTES = 2 * 1024 * 1024;

/**
 * Whether `If-None-Match` names this entity tag, by the weak comparison RFC 9110 §13.1.2 asks
 * for (`W/"x"` and `"x"` match), or is `*` (any current representation: this one). The field is a
 * list of quoted tags; a quoted tag may itself hold a comma, so tags are matched, not split.
 * Anything unquoted in it names nothing.
 */
export function ifNoneMatchMatches(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = opaqueTag(etag);
  if (opaque === undefined) return false;
  for (const match of header.matchAll(/(?:W\/)?("[^"]*")/g)) {
    if (match[1] === opaque) return true;
  }
  return false;
}

/** The quoted part of an entity tag (`"abc"` of `W/"abc"`), or undefined if it is not one. */
function opaqueTag(etag: string): string | undefined {
  return /^(?:W\/)?("[^"]*")$/.exec(etag.trim())?.[1];
}

/** `application/json` and the `+json` types (never `application/problem+json` here: errors are not 200). */
function isJson(contentType: string | null): boolean {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[^/]+\+json$/.test(mediaType);
}

/**
 * A strong ETag from the body's bytes: SHA-256, the first 128 bits in hex. Strong is honest here,
 * because the tag is the bytes; a proxy that compresses the body may weaken it (Cloudflare turns
 * `"x"` into `W/"x"`), which the weak comparison above still matches.
 */
async function bytesEtag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

type ReadBody =
  | { readonly whole: true; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly whole: false; readonly rest: ReadableStream<Uint8Array> };

/**
 * Reads a body whole if it is at most `limit` bytes. A longer one is handed back as a stream that
 * gives what was read and then the rest, so nothing is lost and nothing more is buffered. The body
 * is read rather than cloned: a clone tees the stream, which cost more than the hash itself.
 */
async function readUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<ReadBody> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    if (length > limit) return { whole: false, rest: replay(chunks, reader) };
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { whole: true, bytes };
}

function replay(read: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of read) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * What a 304 keeps of the 200 it stands for. RFC 9110 §15.4.5: the fields a 200 would have carried
 * that steer caches (Cache-Control, Content-Location, Date, ETag, Expires, Vary) must be sent, and
 * other representation metadata should not be: so the `Content-*` fields that describe a body go.
 * Fields about the exchange (the correlation id, `x-cache`) stay.
 */
function notModified(ok: Response): Response {
  const headers = new Headers(ok.headers);
  for (const name of [...headers.keys()]) {
    if (name.startsWith("content-") && name !== "content-location") headers.delete(name);
  }
  return new Response(null, { status: 304, headers });
}

/**
 * ETag and `If-None-Match` for every JSON answer to a GET or HEAD: the 200's body is hashed into
 * a strong ETag (unless the route set its own), and a request whose `If-None-Match` names it gets
 * 304 with no body and the same caching fields. The route still does its work: this saves the
 * bytes and the client's parsing, and lets a cache revalidate instead of refetching.
 *
 * Left untouched: anything but a 200 (errors, 206 ranges, redirects), any body that is not JSON
 * (media streams are never read here; they carry their own ETag from R2), `no-store` answers
 * (nothing may keep them, so nothing will ask to revalidate them), and JSON bodies over
 * `MAX_HASHED_JSON_BYTES`. Hono's `etag` middleware is not used because it hashes every 2xx body,
 * media streams included, before answering.
 */
export const conditionalJson = createMiddleware(async (c, next) => {
  await next();
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
  const response = c.res;
  if (response.status !== 200 || !isJson(response.headers.get("content-type"))) return;
  if (hasCacheDirective(response.headers.get("cache-control"), "no-store")) return;

  let etag = response.headers.get("etag");
  let body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer> | null = response.body;
  if (etag === null) {
    if (!response.body) return;
    const read = await readUpTo(response.body, MAX_HASHED_JSON_BYTES);
    if (!read.whole) {
      c.res = undefined;
      c.res = new Response(read.rest, response);
      return;
    }
    etag = await bytesEtag(read.bytes);
    body = read.bytes;
  }
  // A new Response in any case: the body may have been read, and the headers of the one in hand
  // may be immutable (one that came over a binding).
  const matches = ifNoneMatchMatches(c.req.header("if-none-match"), etag);
  if (matches && body instanceof ReadableStream) void body.cancel().catch(() => undefined);
  const answer = matches ? notModified(response) : new Response(body, response);
  answer.headers.set("etag", etag);
  // Assigning to c.res merges the previous answer's headers into the new one; cleared first, so a
  // 304 does not get the 200's Content-Type and Content-Length back.
  c.res = undefined;
  c.res = answer;
});
