import { Hono, type Env } from "hono";
import { conditionalJson } from "./conditional-get.ts";
import { correlationId, type CorrelationVariables } from "./correlation.ts";
import { problemErrorHandler, problemNotFound } from "./errors.ts";
import { requestLog, type LogSink } from "./request-log.ts";

export interface ServiceAppOptions {
  /** Name written in every log line, e.g. `gateway` or `courses`. */
  readonly service: string;
  readonly logSink?: LogSink;
}

export type ServiceEnv<Bindings extends object = object, Variables extends object = object> = {
  Bindings: Bindings;
  Variables: CorrelationVariables & Variables;
};

/**
 * Correlation id, one JSON log line per request, ETag and 304 for JSON reads, problem+json for
 * errors and unknown routes. The ETag middleware sits inside the log, so a 304 is logged as one.
 */
export function applyServiceConventions<E extends Env>(app: Hono<E>, options: ServiceAppOptions): Hono<E> {
  app.use(correlationId);
  app.use(requestLog(options.service, options.logSink));
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
