import type { Context } from "hono";
import { errorText, logLine, respondWithProblem, type ServiceEnv } from "@platform/http-kit";
import type { GatewayBindings } from "./bindings.ts";
import { forwardedRequest, type ForwardedPrincipal } from "./forwarded-request.ts";

export { forwardedRequest, type ForwardedPrincipal } from "./forwarded-request.ts";

export type GatewayEnv = ServiceEnv<GatewayBindings, { principal?: ForwardedPrincipal | undefined }>;
export type GatewayContext = Context<GatewayEnv>;

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
