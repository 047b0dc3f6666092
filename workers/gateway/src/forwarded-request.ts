import {
  CLIENT_IP_HEADER,
  PRINCIPAL_API_KEY_HEADER,
  PRINCIPAL_ROLES_HEADER,
  PRINCIPAL_SCOPES_HEADER,
  PRINCIPAL_USER_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from "@platform/http-kit";
import { internalHeaders } from "./internal-headers.ts";

export interface ForwardedPrincipal {
  readonly userId: string;
  readonly roles: readonly string[];
  /** An integrator's API key acting for `userId`, with the scopes it may use (docs/integrators.md). */
  readonly apiKey?: { readonly id: string; readonly scopes: readonly string[] };
}

/**
 * Headers only the gateway may set. Anything a client sends under this prefix is dropped, so a
 * domain worker can trust what it finds there (the verified principal, later).
 */
const INTERNAL_HEADER_PREFIX = "x-platform-";

/**
 * The request a worker behind the gateway receives: same method, URL and body; trusted headers
 * rewritten. The caller's `traceparent` and `tracestate` give way to the gateway's span (trace.ts:
 * a trace from the internet is linked, not continued).
 */
export function forwardedRequest(incoming: Request, correlationId: string, principal?: ForwardedPrincipal): Request {
  const headers = new Headers();
  for (const [name, value] of incoming.headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith(INTERNAL_HEADER_PREFIX) || lower === TRACEPARENT_HEADER || lower === TRACESTATE_HEADER)
      continue;
    headers.append(name, value);
  }
  for (const [name, value] of Object.entries(internalHeaders(correlationId))) headers.set(name, value);
  // Cloudflare sets cf-connecting-ip at the edge (a client cannot forge it there); locally it is
  // whatever the caller sent, which is how tests play several clients.
  const clientIp = incoming.headers.get("cf-connecting-ip");
  if (clientIp) {
    headers.set("x-forwarded-for", clientIp);
    headers.set(CLIENT_IP_HEADER, clientIp);
  }
  if (principal) {
    headers.set(PRINCIPAL_USER_HEADER, principal.userId);
    headers.set(PRINCIPAL_ROLES_HEADER, principal.roles.join(","));
    if (principal.apiKey) {
      headers.set(PRINCIPAL_API_KEY_HEADER, principal.apiKey.id);
      headers.set(PRINCIPAL_SCOPES_HEADER, principal.apiKey.scopes.join(","));
    }
  }
  return new Request(incoming, { headers, redirect: "manual" });
}
