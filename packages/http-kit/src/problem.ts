/**
 * RFC 9457 problem details: the one error shape every worker answers with.
 * Workers throw `ProblemError` (or return `problemResponse`) and never hand-build error JSON.
 */

export interface FieldError {
  /** Dotted path of the offending field, e.g. `json.email` (a JSON body field) or `query.limit`. */
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

/**
 * The closed set of problem kinds, each with its title and its one HTTP status: a code never
 * travels with another status, so clients can switch on `type` and trust `status` alike.
 *
 * `validation-failed` (400) means the input does not match the documented schema (field errors
 * listed); `unprocessable` (422) means a well-formed request breaks a domain rule (publishing an
 * incomplete course, a file of the wrong kind for its target). See docs/decisions/0004.
 */
export const problemKinds = {
  "bad-request": { status: 400, title: "Bad request" },
  "validation-failed": { status: 400, title: "The request is not valid" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  "length-required": { status: 411, title: "Length required" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "range-not-satisfiable": { status: 416, title: "Range not satisfiable" },
  unprocessable: { status: 422, title: "The request cannot be applied" },
  "too-many-requests": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  "bad-gateway": { status: 502, title: "Upstream service failed" },
  "service-unavailable": { status: 503, title: "Service unavailable" },
  "gateway-timeout": { status: 504, title: "Upstream service timed out" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemKinds;

export function problemStatus(code: ProblemCode): number {
  return problemKinds[code].status;
}

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

  constructor(code: ProblemCode, init: ProblemInit = {}) {
    super(init.detail ?? problemKinds[code].title);
    this.name = "ProblemError";
    this.code = code;
    this.status = problemStatus(code);
    this.init = init;
  }
}

export function buildProblem(
  code: ProblemCode,
  context: { instance?: string; correlationId?: string },
  init: ProblemInit = {},
): ProblemDetails {
  return {
    type: problemType(code),
    title: problemKinds[code].title,
    status: problemStatus(code),
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
