import { ProblemError } from "@platform/http-kit";
import type { MediaAudience } from "./access-rules.ts";
import { noneMatch, parseRange, rangeStillValid } from "./range.ts";
import type { MediaStore } from "./store.ts";

/**
 * Keys are content-unique (a new upload gets a new key), so public media never changes under
 * its URL: shared caches may keep it a day without asking. Private media is kept only by the
 * caller's browser, for an hour, so a revoked learner does not keep streaming from a CDN (and
 * through a signed link, no longer than the link lives: media-links.ts).
 */
export const CACHE_CONTROL: Record<MediaAudience, string> = {
  public: "public, max-age=86400, immutable",
  private: "private, max-age=3600",
};

export interface MediaRequestHeaders {
  readonly range?: string | undefined;
  readonly ifRange?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
}

/** Archives are downloads; everything else on the allow-list can be shown in the page. */
function disposition(objectKey: string, contentType: string): string {
  const fileName = objectKey.slice(objectKey.lastIndexOf("/") + 1);
  return `${contentType === "application/zip" ? "attachment" : "inline"}; filename="${fileName.replace(/["\\]/g, "_")}"`;
}

/**
 * Answers a GET for a stored object: 200 whole, 206 for one byte range (seeking), 304 when the
 * client's copy is current, 416 for a range past the end. HEAD is answered by the same code
 * (the runtime drops the body).
 */
export async function serveMedia(
  store: MediaStore,
  objectKey: string,
  cacheControl: string,
  request: MediaRequestHeaders,
): Promise<Response> {
  const head = await store.head(objectKey);
  if (!head) throw new ProblemError("not-found", { detail: "No such media in this course." });
  const contentType = head.httpMetadata?.contentType ?? "application/octet-stream";
  const headers = new Headers({
    "accept-ranges": "bytes",
    etag: head.httpEtag,
    "cache-control": cacheControl,
    "content-type": contentType,
    "content-disposition": disposition(objectKey, contentType),
    // Served from the API's own origin: a browser must never guess a more dangerous type.
    "x-content-type-options": "nosniff",
  });
  if (noneMatch(request.ifNoneMatch, head.httpEtag)) return new Response(null, { status: 304, headers });

  const range = rangeStillValid(request.ifRange, head.httpEtag)
    ? parseRange(request.range, head.size)
    : { kind: "whole" as const };
  if (range.kind === "unsatisfiable") {
    throw new ProblemError("range-not-satisfiable", {
      detail: `The range is outside the media's ${head.size} bytes.`,
      headers: { "content-range": `bytes */${head.size}`, "accept-ranges": "bytes" },
    });
  }
  const object = await store.get(
    objectKey,
    range.kind === "part" ? { range: { offset: range.offset, length: range.length } } : {},
  );
  if (!object || !("body" in object)) throw new ProblemError("not-found", { detail: "No such media in this course." });
  if (range.kind === "whole") {
    headers.set("content-length", String(head.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set("content-length", String(range.length));
  headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  return new Response(object.body, { status: 206, headers });
}
