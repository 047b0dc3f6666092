import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { EXPOSITION_CONTENT_TYPE, renderExposition, respondWithProblem } from "@platform/http-kit";
import { collectPlatformMetrics, type MetricsSources } from "./collect.ts";

/**
 * Compares the given token with the secret in time that depends on neither: both are hashed to 32
 * bytes first, so even a wrong length costs the same as a right one (timingSafeEqual needs equal
 * lengths). node:crypto, which workerd provides under `nodejs_compat`, so this runs in tests too.
 */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `GET /metrics`: the platform's series in Prometheus's text format, for the compose Prometheus and
 * local work (docs/observability.md#metrics). Not public: it answers only a bearer token equal to
 * the `METRICS_TOKEN` secret, and where that is unset (production, whose metrics go to Analytics
 * Engine) it does not exist (404, like any unknown path).
 */
export async function servePlatformMetrics(c: Context<{ Bindings: MetricsSources }>): Promise<Response> {
  const expected = c.env.METRICS_TOKEN;
  if (!expected) return respondWithProblem(c, "not-found", { detail: "No metrics are served here." });
  const header = c.req.header("authorization") ?? "";
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!given || !sameSecret(given, expected)) {
    return respondWithProblem(c, "unauthorized", {
      detail: "The metrics need the scrape token (METRICS_TOKEN) as a bearer token.",
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const body = renderExposition(await collectPlatformMetrics(c.env));
  return c.body(body, 200, { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" });
}
