/**
 * RFC 9457 problem details: the one error shape every worker answers with.
 * Workers throw `ProblemError` (or return `problemResponse`) and never hand-build error JSON.
 */

export interface FieldError {
  /** Dotted path of the offending field, e.g. `body.email` or `query.limit`. */
  readonly path: string;
  readonly message: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
}

/** The closed set of problem kinds; the `type` URI is derived from the code so clients can switch on it. */
export const problemTitles = {
  "bad-request": "Bad request",
  "validation-failed": "The request is not valid",
  unauthorized: "Authentication required",
  forbidden: "Not allowed",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  conflict: "Conflict",
  "payload-too-large": "Payload too large",
  "unsupported-media-type": "Unsupported media type",
  "too-many-requests": "Too many requests",
  internal: "Internal error",
  "bad-gateway": "Upstream service failed",
  "service-unavailable": "Service unavailable",
  "gateway-timeout": "Upstream service timed out",
} as const;

export type ProblemCode = keyof typeof problemTitles;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemType(code: ProblemCode): string {
  return `/problems/${code}`;
}

export interface ProblemInit {
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  readonly headers?: Record<string, string>;
}

/** Throw from anywhere in a request; the shared error handler turns it into problem+json. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly init: ProblemInit;

  constructor(code: ProblemCode, status: number, init: ProblemInit = {}) {
    super(init.detail ?? problemTitles[code]);
    this.name = "ProblemError";
    this.code = code;
    this.status = status;
    this.init = init;
  }
}

export function buildProblem(
  code: ProblemCode,
  status: number,
  context: { instance?: string; correlationId?: string },
  init: ProblemInit = {},
): ProblemDetails {
  return {
    type: problemType(code),
    title: problemTitles[code],
    status,
    ...(init.detail !== undefined && { detail: init.detail }),
    ...(context.instance !== undefined && { instance: context.instance }),
    ...(context.correlationId !== undefined && { correlationId: context.correlationId }),
    ...(init.errors !== undefined && init.errors.length > 0 && { errors: init.errors }),
  };
}

export function problemResponse(problem: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}
