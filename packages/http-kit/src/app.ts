import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { correlationId, type CorrelationVariables } from "./correlation.ts";
import { fieldErrorsFromZod, problemErrorHandler, problemNotFound, respondWithProblem } from "./errors.ts";
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
 * The Hono app every worker starts from: correlation id, one JSON log line per request,
 * problem+json for errors, unknown routes and failed validation.
 */
export function createServiceApp<E extends Env = ServiceEnv>(options: ServiceAppOptions): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return respondWithProblem(c, "validation-failed", 400, {
          detail: "One or more fields are invalid.",
          errors: fieldErrorsFromZod(result.error, result.target),
        });
      }
      return undefined;
    },
  });
  app.use(correlationId);
  app.use(requestLog(options.service, options.logSink));
  app.onError(problemErrorHandler(options.service));
  app.notFound(problemNotFound);
  return app;
}
