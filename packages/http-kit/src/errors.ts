import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { logLine } from "./request-log.ts";
import {
  ProblemError,
  buildProblem,
  problemResponse,
  type FieldError,
  type ProblemCode,
} from "./problem.ts";

function correlationIdOf(c: Context): string | undefined {
  const id: unknown = c.get("correlationId");
  return typeof id === "string" ? id : undefined;
}

/** Answers a problem for the current request; the one place that knows how to fill `instance` and the id. */
export function respondWithProblem(
  c: Context,
  code: ProblemCode,
  status: number,
  init: { detail?: string; errors?: readonly FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const problem = buildProblem(code, status, { instance: c.req.path, correlationId: correlationIdOf(c) }, init);
  return problemResponse(problem, init.headers);
}

const codeForStatus: Record<number, ProblemCode> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "validation-failed",
  429: "too-many-requests",
  502: "bad-gateway",
  503: "service-unavailable",
  504: "gateway-timeout",
};

export function problemCodeForStatus(status: number): ProblemCode {
  return codeForStatus[status] ?? (status >= 500 ? "internal" : "bad-request");
}

/**
 * Turns anything thrown in a handler into problem+json. Unexpected errors are logged with the
 * correlation id and answered without their message: internals never leak to clients.
 */
export function problemErrorHandler(service: string): ErrorHandler {
  return (err, c) => {
    if (err instanceof ProblemError) {
      return respondWithProblem(c, err.code, err.status, err.init);
    }
    if (err instanceof HTTPException) {
      return respondWithProblem(c, problemCodeForStatus(err.status), err.status, { detail: err.message });
    }
    logLine("error", service, "unhandled error", {
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      path: c.req.path,
      correlationId: correlationIdOf(c),
    });
    return respondWithProblem(c, "internal", 500, { detail: "An unexpected error occurred." });
  };
}

export const problemNotFound: NotFoundHandler = (c) =>
  respondWithProblem(c, "not-found", 404, { detail: `No route for ${c.req.method} ${c.req.path}.` });

export function fieldErrorsFromZod(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}
