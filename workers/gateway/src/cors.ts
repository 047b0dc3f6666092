import { createMiddleware } from "hono/factory";
import { parseOrigins, withVary } from "./cors-policy.ts";
import type { GatewayEnv } from "./forward.ts";

const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
/** `If-None-Match` so that a page's script may revalidate by hand (the browser's own cache needs no permission). */
const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Correlation-Id";
/** What a page's script may read besides the CORS-safelisted response headers. */
const EXPOSED_HEADERS = "ETag, Location, Retry-After, WWW-Authenticate, X-Correlation-Id";
/** Browsers cap this (Chromium at 2 h); the allowed methods and headers rarely change. */
const PREFLIGHT_MAX_AGE_SECONDS = "7200";

let cached: { readonly config: string; readonly origins: ReadonlySet<string> } | undefined;

function allowedOrigins(config: string | undefined): ReadonlySet<string> {
  const key = config ?? "";
  if (cached?.config !== key) cached = { config: key, origins: parseOrigins(key) };
  return cached.origins;
}

/**
 * CORS for the origins listed in `CORS_ORIGINS` (comma-separated, e.g.
 * `https://learn.example.com,https://studio.example.com`); empty means no cross-origin access.
 * A listed origin is echoed back with credentials allowed; any other origin gets no CORS header
 * at all, so the browser keeps the response from its page. There is never a `*` (browsers refuse
 * it with credentials anyway): a wildcard entry is ignored. Preflights are answered here and never
 * reach a worker. Every response carries `Vary: Origin`, so no cache hands one origin's answer to
 * another.
 */
export const cors = createMiddleware<GatewayEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  const granted = origin !== undefined && allowedOrigins(c.env.CORS_ORIGINS).has(origin) ? origin : undefined;

  if (c.req.method === "OPTIONS" && origin !== undefined && c.req.header("access-control-request-method")) {
    const headers: Record<string, string> = {
      vary: withVary(null, ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]),
    };
    if (granted) {
      headers["access-control-allow-origin"] = granted;
      headers["access-control-allow-credentials"] = "true";
      headers["access-control-allow-methods"] = ALLOWED_METHODS;
      headers["access-control-allow-headers"] = ALLOWED_HEADERS;
      headers["access-control-max-age"] = PREFLIGHT_MAX_AGE_SECONDS;
    }
    return c.body(null, 204, headers);
  }

  await next();
  const headers = c.res.headers;
  headers.set("vary", withVary(headers.get("vary"), ["Origin"]));
  // The gateway alone decides: whatever a worker behind it says about CORS is dropped.
  for (const name of [...headers.keys()]) {
    if (name.startsWith("access-control-")) headers.delete(name);
  }
  if (granted) {
    headers.set("access-control-allow-origin", granted);
    headers.set("access-control-allow-credentials", "true");
    headers.set("access-control-expose-headers", EXPOSED_HEADERS);
  }
});
