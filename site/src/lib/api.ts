import { env } from "cloudflare:workers";

/** Set by the gateway on every request it forwards to this site: the visitor's address. */
const CLIENT_IP_HEADER = "x-platform-client-ip";
/** What the gateway's SiteApi entrypoint reads the visitor's address from (trusted over that binding only). */
const VISITOR_ADDRESS_HEADER = "x-platform-visitor-address";
/** A page waits this long for the API before it shows its "not available" state. */
const DEFAULT_TIMEOUT_MS = 5000;

interface SiteEnv {
  /** The gateway's SiteApi entrypoint (wrangler.toml); absent under `astro dev`. */
  readonly API?: { fetch(request: Request): Promise<Response> };
}

/**
 * Calls the platform API on behalf of the visitor whose page is being rendered. Through the
 * gateway's service binding, with the visitor's address, so the call spends that visitor's
 * rate-limit budget rather than one bucket every page view shares. Without the binding (`astro
 * dev`), a plain fetch on the same origin.
 */
export function apiFetch(visitorRequest: Request, path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, visitorRequest.url);
  const api = (env as SiteEnv).API;
  if (!api) return fetch(url, init);
  const headers = new Headers(init.headers);
  const visitor = visitorRequest.headers.get(CLIENT_IP_HEADER);
  if (visitor) headers.set(VISITOR_ADDRESS_HEADER, visitor);
  return api.fetch(new Request(url, { ...init, headers }));
}

/** An RFC 9457 problem as the API answers it: the page shows `detail` and each field's message. */
export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T; readonly headers: Headers }
  | { readonly ok: false; readonly status: number; readonly problem: Problem; readonly headers?: Headers };

/** What a page passes: its request and the signed-in visitor's access token, if any (`Astro` or an APIContext). */
export interface ApiCaller {
  readonly request: Request;
  readonly locals: { readonly session?: { readonly accessToken: string } | null };
}

export interface ApiOptions {
  readonly method?: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Calls the API as a visitor even when one is signed in (shared, cacheable reads). */
  readonly anonymous?: boolean;
  readonly timeoutMs?: number;
  readonly headers?: Record<string, string>;
}

/**
 * Calls the API for a page: as the signed-in visitor (their access token, which only the site
 * holds), with a deadline, and never throws. A network failure or a deadline is status 503; a
 * body that is not JSON is kept out of the page (a problem with the status only).
 */
export async function callApi<T>(caller: ApiCaller, path: string, options: ApiOptions = {}): Promise<ApiResult<T>> {
  const headers = new Headers({ accept: "application/json", ...options.headers });
  const token = options.anonymous ? undefined : caller.locals.session?.accessToken;
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (options.json !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await apiFetch(caller.request, path, {
      method: options.method ?? (options.json === undefined ? "GET" : "POST"),
      headers,
      ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, status: 503, problem: { status: 503 } };
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (response.ok) return { ok: true, status: response.status, data: body as T, headers: response.headers };
  const problem = typeof body === "object" && body !== null ? (body as Omit<Problem, "status">) : {};
  return {
    ok: false,
    status: response.status,
    problem: { ...problem, status: response.status },
    headers: response.headers,
  };
}

/** The message the API gave for one field (`json.password`), if any. */
export function fieldError(result: ApiResult<unknown>, path: string): string | undefined {
  return result.ok ? undefined : result.problem.errors?.find((error) => error.path === path)?.message;
}
