import { createMiddleware } from "hono/factory";
import { answeredRoute } from "../request-log.ts";
import { metricsOf, rememberMetricsDataset, type MetricsBindings } from "./registry.ts";

/**
 * RED per route: every answered request counts in `http_requests_total` (method, route pattern,
 * status code) and its time in `http_request_duration_seconds`. The route is the pattern that
 * answered, never the path, so ids and typed text cannot multiply the series; a request no route
 * matched counts as `unmatched`.
 */
export function requestMetrics(service: string) {
  const registry = metricsOf(service);
  return createMiddleware<{ Bindings: MetricsBindings }>(async (c, next) => {
    const started = performance.now();
    rememberMetricsDataset(c.env);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = answeredRoute(c) ?? "unmatched";
    const method = c.req.method;
    // `c.env` is undefined when an app is called without bindings (a unit test's `app.request(path)`).
    const env = c.env as MetricsBindings | undefined;
    registry.count(env, "http_requests_total", { method, route, code: String(c.res.status) });
    registry.observe(env, "http_request_duration_seconds", { method, route }, seconds);
  });
}
