import { createMiddleware } from "hono/factory";
import { bodyLimit } from "hono/body-limit";
import { respondWithProblem } from "@platform/http-kit";
import type { GatewayEnv } from "./forward.ts";
import { maxBodyBytes } from "./settings.ts";

/**
 * Refuses request bodies over `MAX_BODY_BYTES` with 413 before any worker sees them. A body that
 * declares its length is judged on the header and, when small enough, still streamed through
 * untouched. One without a length (chunked) is read here first, up to the limit and no further:
 * only then can the gateway know it fits, and a worker must not act on the first megabyte of a
 * body that turns out too large. That costs at most `MAX_BODY_BYTES` of memory per such request.
 * Large media never comes this way: it goes from the browser straight to R2.
 */
export const limitBodySize = createMiddleware<GatewayEnv>((c, next) => {
  const maxBytes = maxBodyBytes(c.env);
  return bodyLimit({
    maxSize: maxBytes,
    onError: (context) =>
      respondWithProblem(context, "payload-too-large", 413, {
        detail: `The request body is larger than the ${maxBytes} bytes this API accepts.`,
      }),
  })(c, next);
});
