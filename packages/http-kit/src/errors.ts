import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { addRequestLogFields, errorText, logLine } from "./request-log.ts";
import {
  ProblemError,
  buildProblem,
  problemKinds,
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
  init: { detail?: string; errors?: readonly FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const problem = buildProblem(code, { instance: c.req.path, correlationId: correlationIdOf(c) }, init);
  return problemResponse(problem, init.headers);
}

/** For errors raised with a bare status (Hono's HTTPException): the code that has that status. */
export function problemCodeForStatus(status: number): ProblemCode {
  const code = (Object.keys(problemKinds) as ProblemCode[]).find(
    (candidate) => problemKinds[candidate].status === status,
  );
  return code ?? (status >= 500 ? "internal" : "bad-request");
}

/**
 * Turns anything thrown in a handler into problem+json. Unexpected errors are logged with the
 * correlation id and answered without their message: internals never leak to clients.
 */
export function problemErrorHandler(service: string): ErrorHandler {
  return (err, c) => {
    if (err instanceof ProblemError) {
      return respondWithProblem(c, err.code, err.init);
    }
    if (err instanceof HTTPException) {
      return respondWithProblem(c, problemCodeForStatus(err.status), { detail: err.message });
    }
    logLine("error", service, "unhandled error", {
      error: err instanceof Error ? `${err.name}: ${errorText(err)}` : String(err),
      path: c.req.path,
      correlationId: correlationIdOf(c),
    });
    return respondWithProblem(c, "internal", { detail: "An unexpected error occurred." });
  };
}

export const problemNotFound: NotFoundHandler = (c) => {
  // No route answered: the log line names none (rather than the last middleware's pattern).
  addRequestLogFields(c, { route: undefined });
  return respondWithProblem(c, "not-found", { detail: `No route for ${c.req.method} ${c.req.path}.` });
};

export function fieldErrorsFromZod(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}
