import type { Context } from "hono";
import {
  CLIENT_IP_HEADER,
  CORRELATION_HEADER,
  errorText,
  logLine,
  PRINCIPAL_ROLES_HEADER,
  PRINCIPAL_USER_HEADER,
  respondWithProblem,
  type ServiceEnv,
} from "@platform/http-kit";
import type { GatewayBindings } from "./bindings.ts";

export interface ForwardedPrincipal {
  readonly userId: string;
  readonly roles: readonly string[];
}

export type GatewayEnv = ServiceEnv<GatewayBindings, { principal?: ForwardedPrincipal | undefined }>;
export type GatewayContext = Context<GatewayEnv>;

/**
 * Headers only the gateway may set. Anything a client sends under this prefix is dropped, so a
 * domain worker can trust what it finds there (the verified principal, later).
 */
const INTERNAL_HEADER_PREFIX = "x-platform-";

/** The request a worker behind the gateway receives: same method, URL and body; trusted headers rewritten. */
export function forwardedRequest(incoming: Request, correlationId: string, principal?: ForwardedPrincipal): Request {
  const headers = new Headers();
  for (const [name, value] of incoming.headers) {
    if (!name.toLowerCase().startsWith(INTERNAL_HEADER_PREFIX)) headers.append(name, value);
  }
  headers.set(CORRELATION_HEADER, correlationId);
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
  }
  return new Request(incoming, { headers, redirect: "manual" });
}

/**
 * Calls a worker through its service binding. A worker that throws or cannot be reached becomes
 * a 502 problem (logged with the correlation id) rather than a bare runtime error page.
 */
export async function forwardTo(c: GatewayContext, target: Fetcher, name: string): Promise<Response> {
  try {
    const response = await target.fetch(forwardedRequest(c.req.raw, c.var.correlationId, c.var.principal));
    // Responses from a binding can carry immutable headers; the gateway still adds its own.
    return new Response(response.body, response);
  } catch (error) {
    logLine("error", "gateway", "service binding failed", {
      target: name,
      error: errorText(error),
      correlationId: c.var.correlationId,
    });
    return respondWithProblem(c, "bad-gateway", { detail: `The ${name} service could not answer.` });
  }
}
