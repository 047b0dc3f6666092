import { Hono, type Env } from "hono";
import { conditionalJson } from "./conditional-get.ts";
import { correlationId, type CorrelationVariables } from "./correlation.ts";
import { problemErrorHandler, problemNotFound } from "./errors.ts";
import { requestMetrics } from "./metrics/middleware.ts";
import { requestLog, type LogSink } from "./request-log.ts";
import { traceContext, type TraceVariables } from "./trace.ts";

export interface ServiceAppOptions {
  /** Name written in every log line, e.g. `gateway` or `courses`. */
  readonly service: string;
  readonly logSink?: LogSink;
  /**
   * The platform's front door (the gateway): a caller's `traceparent` is linked, not continued, and
   * the log's user id comes only from the verified principal (trace.ts, request-log.ts).
   */
  readonly publicEntry?: boolean;
}

export type ServiceEnv<Bindings extends object = object, Variables extends object = object> = {
  Bindings: Bindings;
  Variables: CorrelationVariables & TraceVariables & Variables;
};

/**
 * Correlation id, the request's trace span (W3C `traceparent`), one JSON log line per request, RED
 * metrics per route (metrics/middleware.ts), ETag
 * and 304 for JSON reads, problem+json for errors and unknown routes. The ETag middleware sits
 * inside the log, so a 304 is logged as one; the log sits inside the span, so its line has the ids.
 */
export function applyServiceConventions<E extends Env>(app: Hono<E>, options: ServiceAppOptions): Hono<E> {
  const publicEntry = options.publicEntry ?? false;
  app.use(correlationId);
  app.use(traceContext({ publicEntry }));
  app.use(requestLog(options.service, options.logSink, { publicEntry }));
  app.use(requestMetrics(options.service));
  app.use(conditionalJson);
  app.onError(problemErrorHandler(options.service));
  app.notFound(problemNotFound);
  return app;
}

/**
 * A plain Hono app with the platform's conventions, for workers that validate nothing with zod
 * (the gateway: it stays small because it does not bundle zod). Domain workers use
 * `createApiApp` from `@platform/http-kit/openapi`.
 */
export function createServiceApp<E extends Env = ServiceEnv>(options: ServiceAppOptions): Hono<E> {
  return applyServiceConventions(new Hono<E>(), options);
}
