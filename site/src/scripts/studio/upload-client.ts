/**
 * The uploader's line to the site (pages/studio/uploads/): JSON calls for the upload's steps, and
 * one part's bytes sent with XMLHttpRequest, whose upload events (unlike fetch's) report progress
 * within a part. Nothing here throws for an HTTP or network failure: callers get the status
 * (0: the request never got an answer) and the problem's `detail` to show.
 */

export interface PartTarget {
  readonly partNumber: number;
  readonly sizeBytes: number;
  /** A site path (proxied through the site to the API) or a presigned R2 URL (straight to R2). */
  readonly url: string;
  readonly expiresAt: string | null;
}

/** An upload as the site's endpoints describe it (pages/studio/uploads/_site-uploads.ts). */
export interface SiteUpload {
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
  /** The parts still to send (presigned: every part; the client knows which it sent). */
  readonly parts: readonly PartTarget[];
}

export type SiteAnswer<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly detail?: string; readonly retryAfterSeconds?: number };

function retryAfter(value: string | null): number | undefined {
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function problemDetail(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    return typeof body.detail === "string" ? body.detail : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON call to one of the site's upload endpoints. */
export async function siteCall<T>(method: string, path: string, body?: unknown): Promise<SiteAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: "application/json", ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0 };
  }
  const text = await response.text();
  if (response.ok) return { ok: true, status: response.status, data: (text ? JSON.parse(text) : undefined) as T };
  const detail = problemDetail(text);
  const wait = retryAfter(response.headers.get("retry-after"));
  return {
    ok: false,
    status: response.status,
    ...(detail !== undefined && { detail }),
    ...(wait !== undefined && { retryAfterSeconds: wait }),
  };
}

export type PartOutcome =
  | { readonly ok: true; readonly etag: string }
  | {
      readonly ok: false;
      /** 0 when no answer came (a network failure, or aborted). */
      readonly status: number;
      readonly aborted: boolean;
      readonly detail?: string;
      readonly retryAfterSeconds?: number;
    };

/**
 * PUTs one part. `body` is a slice of the file: the browser reads it from disk as it sends, so a
 * part is never copied into the page's memory. A proxied part answers JSON with the ETag R2 gave
 * it; a presigned one answers R2's own `ETag` header (which the bucket's CORS rules must expose).
 */
export function sendPart(
  target: PartTarget,
  body: Blob,
  onProgress: (loadedBytes: number) => void,
  signal: AbortSignal,
): Promise<PartOutcome> {
  const proxied = target.url.startsWith("/");
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ ok: false, status: 0, aborted: true });
      return;
    }
    const request = new XMLHttpRequest();
    const abort = () => request.abort();
    signal.addEventListener("abort", abort, { once: true });
    const settle = (outcome: PartOutcome) => {
      signal.removeEventListener("abort", abort);
      resolve(outcome);
    };
    request.open("PUT", target.url);
    if (proxied) {
      request.setRequestHeader("content-type", "application/octet-stream");
      request.setRequestHeader("accept", "application/json");
    }
    request.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    request.addEventListener("load", () => {
      const status = request.status;
      if (status >= 200 && status < 300) {
        const etag = proxied ? etagFromJson(request.responseText) : request.getResponseHeader("etag");
        if (etag) settle({ ok: true, etag });
        else settle({ ok: false, status: 502, aborted: false, detail: "Storage did not confirm the part." });
        return;
      }
      const detail = proxied ? problemDetail(request.responseText) : undefined;
      const wait = retryAfter(request.getResponseHeader("retry-after"));
      settle({
        ok: false,
        status,
        aborted: false,
        ...(detail !== undefined && { detail }),
        ...(wait !== undefined && { retryAfterSeconds: wait }),
      });
    });
    request.addEventListener("error", () => settle({ ok: false, status: 0, aborted: false }));
    request.addEventListener("timeout", () => settle({ ok: false, status: 0, aborted: false }));
    request.addEventListener("abort", () => settle({ ok: false, status: 0, aborted: true }));
    request.send(body);
  });
}

function etagFromJson(text: string): string | null {
  try {
    const body = JSON.parse(text) as { etag?: unknown };
    return typeof body.etag === "string" ? body.etag : null;
  } catch {
    return null;
  }
}
