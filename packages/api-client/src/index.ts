import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.ts";

/**
 * The platform's REST API as a typed client: openapi-fetch over the types generated from the
 * gateway's merged OpenAPI document (schema.ts). Paths, parameters, bodies, answers and errors
 * are checked at compile time; at run time it is one `fetch` per call.
 */
export type { components, operations, paths } from "./schema.ts";

export type PlatformClient = Client<paths>;

/** Every error the API answers: RFC 9457 problem details (`application/problem+json`). */
export type Problem = components["schemas"]["Problem"];

export interface PlatformClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787`: the document's paths start with `/api` or `/.well-known`. */
  readonly baseUrl: string;
  /** An access token (`POST /api/auth/login`), sent as `Authorization: Bearer …` on every call. */
  readonly token?: string;
  /** Another fetch (a service binding's, a test's); `globalThis.fetch` by default. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.token && { headers: { authorization: `Bearer ${options.token}` } }),
    ...(options.fetch && { fetch: options.fetch }),
  });
}

/**
 * Whether an error body is a problem. The client's types say every documented error is one, but
 * something in front of the platform (a proxy's 502 page) can still answer with text.
 */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.type === "string" && typeof candidate.title === "string" && typeof candidate.status === "number"
  );
}

/** An answer that was not a success, thrown by `unwrap`: its status and, when the body was one, its problem. */
export class PlatformApiError extends Error {
  override name = "PlatformApiError";
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    const said = problem ? `: ${problem.title}${problem.detail ? ` (${problem.detail})` : ""}` : "";
    super(`The API answered ${status}${said}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The data of a successful answer, or a `PlatformApiError`: for callers that have nothing to do with an error but report it. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw new PlatformApiError(result.response.status, isProblem(result.error) ? result.error : undefined);
}
