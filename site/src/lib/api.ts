import { env } from "cloudflare:workers";

/** Set by the gateway on every request it forwards to this site: the visitor's address. */
const CLIENT_IP_HEADER = "x-platform-client-ip";
/** What the gateway's SiteApi entrypoint reads the visitor's address from (trusted over that binding only). */
const VISITOR_ADDRESS_HEADER = "x-platform-visitor-address";

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
