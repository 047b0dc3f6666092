import type { Context } from "hono";
import { CORRELATION_HEADER, respondWithProblem, type ServiceEnv } from "@platform/http-kit";
import type { GatewayBindings } from "./bindings.ts";

export type GatewayEnv = ServiceEnv<GatewayBindings>;
export type GatewayContext = Context<GatewayEnv>;

/**
 * Headers only the gateway may set. Anything a client sends under this prefix is dropped, so a
 * domain worker can trust what it finds there (the verified principal, later).
 */
const INTERNAL_HEADER_PREFIX = "x-platform-";

/** The request a worker behind the gateway receives: same method, URL and body; trusted headers rewritten. */
export function forwardedRequest(incoming: Request, correlationId: string): Request {
  const headers = new Headers();
  for (const [name, value] of incoming.headers) {
    if (!name.toLowerCase().startsWith(INTERNAL_HEADER_PREFIX)) headers.append(name, value);
  }
  headers.set(CORRELATION_HEADER, correlationId);
  const clientIp = incoming.headers.get("cf-connecting-ip");
  if (clientIp) headers.set("x-forwarded-for", clientIp);
  return new Request(incoming, { headers, redirect: "manual" });
}

/**
 * Calls a worker through its service binding. A worker that throws or cannot be reached becomes
 * a 502 problem (logged with the correlation id) rather than a bare runtime error page.
 */
export async function forwardTo(c: GatewayContext, target: Fetcher, name: string): Promise<Response> {
  try {
    const response = await target.fetch(forwardedRequest(c.req.raw, c.var.correlationId));
    // Responses from a binding can carry immutable headers; the gateway still adds its own.
    return new Response(response.body, response);
  } catch (error) {
    console.error(
      JSON.stringify({
        time: new Date().toISOString(),
        level: "error",
        service: "gateway",
        msg: "service binding failed",
        target: name,
        error: error instanceof Error ? error.message : String(error),
        correlationId: c.var.correlationId,
      }),
    );
    return respondWithProblem(c, "bad-gateway", 502, { detail: `The ${name} service could not answer.` });
  }
}
