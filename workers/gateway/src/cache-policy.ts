import { createMiddleware } from "hono/factory";
import { cacheDirectives, directiveName } from "@platform/http-kit";
import { withVary } from "./cors-policy.ts";

/**
 * The request headers that can make an API answer someone's own: the bearer token the gateway
 * verifies, and cookies (the auth worker reads its sign-in state cookie, and browsers send the
 * site's session cookie with every request to this origin).
 */
export const CREDENTIAL_HEADERS = ["Authorization", "Cookie"] as const;

/** Directives that let a shared cache keep an answer; dropped from an answer to a caller with credentials. */
const SHARED_ONLY = new Set(["public", "s-maxage", "proxy-revalidate"]);

/**
 * The `Cache-Control` an API answer leaves the gateway with. The owning worker decides how long
 * an answer may be kept; the gateway only makes sure that:
 * - an answer to a request that carried credentials is never kept by a shared cache: `public`
 *   and `s-maxage` go and `private` is added (a browser may still keep it, for as long as the
 *   worker said), whatever the worker wrote; `no-store` is left as it is;
 * - an answer that says nothing is revalidated before every reuse (`no-cache`): without a
 *   directive, caches may guess a freshness lifetime (RFC 9111 §4.2.2), and a guessed one could
 *   keep a changed course or a 404 for minutes.
 */
export function cacheControlFor(current: string | null, credentialed: boolean): string {
  const directives = cacheDirectives(current);
  if (directives.length === 0) return credentialed ? "private, no-cache" : "no-cache";
  if (!credentialed || directives.includes("no-store")) return directives.join(", ");
  const kept = directives.filter((directive) => !SHARED_ONLY.has(directiveName(directive)));
  return (kept.includes("private") ? kept : ["private", ...kept]).join(", ");
}

/**
 * For every answer under `/api` and `/.well-known` (forwarded or the gateway's own): `Vary` gains
 * `Authorization` and `Cookie`, so a cache that did keep an anonymous answer (the catalog, a
 * course page) never hands it to a signed-in caller, whose answer may differ (unlocked lessons);
 * and `Cache-Control` is settled by `cacheControlFor`. The worker's `ETag`, its `Vary` entries and,
 * for anonymous callers, its `Cache-Control` pass through unchanged.
 */
export const apiCachePolicy = createMiddleware(async (c, next) => {
  await next();
  const credentialed = CREDENTIAL_HEADERS.some((name) => c.req.header(name) !== undefined);
  const headers = c.res.headers;
  headers.set("vary", withVary(headers.get("vary"), CREDENTIAL_HEADERS));
  headers.set("cache-control", cacheControlFor(headers.get("cache-control"), credentialed));
});
