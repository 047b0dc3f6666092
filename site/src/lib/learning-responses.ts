import type { Problem } from "./api";

/**
 * Answers of the learner pages' small JSON endpoints (the player's and the live views' scripts
 * call them): personal, so never stored anywhere, and errors as RFC 9457 problems.
 */
const PERSONAL = { "cache-control": "private, no-store" };

export function jsonAnswer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...PERSONAL },
  });
}

export function problemAnswer(
  status: number,
  detail: string,
  errors?: ReadonlyArray<{ readonly path: string; readonly message: string }>,
  retryAfter?: string | null,
): Response {
  const title = TITLES[status] ?? "Error";
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, ...(errors && { errors }) }), {
    status,
    headers: {
      "content-type": "application/problem+json",
      ...PERSONAL,
      ...(retryAfter && { "retry-after": retryAfter }),
    },
  });
}

/** The API's problem passed on to the page's script: its status, detail and field errors, nothing else. */
export function forwardProblem(problem: Problem, fallbackDetail: string, headers?: Headers): Response {
  const status = problem.status >= 400 && problem.status <= 599 ? problem.status : 502;
  return problemAnswer(status, problem.detail ?? fallbackDetail, problem.errors, headers?.get("retry-after"));
}

export const methodNotAllowed = (allow: string) => new Response(null, { status: 405, headers: { allow, ...PERSONAL } });

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  502: "Bad Gateway",
  503: "Service Unavailable",
};
