import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { bodyLimit } from "hono/body-limit";
import { respondWithProblem } from "@platform/http-kit";
import { maxBodyBytes, type GatewaySettingsVars } from "./settings.ts";

/** Only the vars it reads, so the limit can be tested outside workerd (and the gateway's bindings). */
type LimitEnv = { Bindings: GatewaySettingsVars };

/**
 * The routes whose bodies are media, not JSON: a part of a resumable upload, proxied into R2 by
 * the courses worker when the browser cannot send it to R2 directly; and the site's route for the
 * same part (the studio's uploader: the browser holds no token, so the site streams the part on
 * to the API route with the session's, docs/site-uploads.md). Only PUT.
 */
const PART_UPLOAD_PATH = /^\/api\/courses\/[^/]+\/uploads\/[^/]+\/parts\/[^/]+$/;
const SITE_PART_UPLOAD_PATH = /^\/studio\/uploads\/[^/]+\/[^/]+\/parts\/[^/]+$/;

/**
 * A part's ceiling: the courses worker's largest part size (its part-plan.ts; the exact size is
 * checked there, per upload), under the 100 MiB a Worker accepts as a request body.
 */
export const MAX_UPLOAD_PART_BYTES = 95 * 1024 * 1024;

export const isPartUpload = (method: string, path: string) =>
  method === "PUT" && (PART_UPLOAD_PATH.test(path) || SITE_PART_UPLOAD_PATH.test(path));

/**
 * A part must declare its length, so it can be judged before a byte of it is read and then
 * streamed through untouched: buffering up to 95 MiB of a chunked body here, as the general
 * limit does for its 1 MiB, would cost the gateway that much memory per upload.
 */
async function limitPartUpload(c: Context<LimitEnv>, next: () => Promise<void>): Promise<Response | undefined> {
  const length = c.req.header("content-length");
  if (c.req.header("transfer-encoding") !== undefined || length === undefined) {
    return respondWithProblem(c, "length-required", {
      detail: "Send each upload part with its Content-Length, not chunked.",
    });
  }
  if (!/^\d+$/.test(length))
    return respondWithProblem(c, "bad-request", { detail: "Content-Length is not a byte count." });
  if (Number(length) > MAX_UPLOAD_PART_BYTES) {
    return respondWithProblem(c, "payload-too-large", {
      detail: `An upload part is at most ${MAX_UPLOAD_PART_BYTES} bytes.`,
    });
  }
  await next();
  return undefined;
}

/**
 * Refuses request bodies over `MAX_BODY_BYTES` with 413 before any worker sees them. A body that
 * declares its length is judged on the header and, when small enough, still streamed through
 * untouched. One without a length (chunked) is read here first, up to the limit and no further:
 * only then can the gateway know it fits, and a worker must not act on the first megabyte of a
 * body that turns out too large. That costs at most `MAX_BODY_BYTES` of memory per such request.
 * Upload parts have their own, larger limit (above); whole files never come this way.
 */
export const limitBodySize = createMiddleware<LimitEnv>((c, next) => {
  if (isPartUpload(c.req.method, c.req.path)) return limitPartUpload(c, next);
  const maxBytes = maxBodyBytes(c.env);
  return bodyLimit({
    maxSize: maxBytes,
    onError: (context) =>
      respondWithProblem(context, "payload-too-large", {
        detail: `The request body is larger than the ${maxBytes} bytes this API accepts.`,
      }),
  })(c, next);
});
