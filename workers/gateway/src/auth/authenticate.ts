import { createMiddleware } from "hono/factory";
import { respondWithProblem } from "@platform/http-kit";
import type { GatewayEnv } from "../forward.ts";
import { verifyBearer, type VerifiedPrincipal } from "./verify-bearer.ts";

export type AuthVariables = { principal: VerifiedPrincipal | undefined };

/**
 * Authenticates, never authorises: a request with no `Authorization` header goes on anonymous
 * (the domain worker decides whether that is enough); one with a token that fails any check is
 * stopped here with 401. Which user may touch which data is the owning worker's decision.
 */
export const authenticate = createMiddleware<GatewayEnv & { Variables: AuthVariables }>(async (c, next) => {
  c.set("principal", undefined);
  const header = c.req.header("authorization");
  if (header === undefined) return next();
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header);
  const challenge = (description: string) => ({
    "www-authenticate": `Bearer error="invalid_token", error_description="${description}"`,
  });
  if (!match?.[1]) {
    return respondWithProblem(c, "unauthorized", {
      detail: "The Authorization header must be `Bearer <access token>`.",
      headers: challenge("malformed header"),
    });
  }
  const result = await verifyBearer(
    {
      auth: c.env.AUTH,
      issuer: c.env.JWT_ISSUER,
      audience: c.env.JWT_AUDIENCE,
      correlationId: c.var.correlationId,
    },
    match[1],
  );
  if (!result.ok && result.unavailable) {
    // Not the token's fault: a 401 would send the client to refresh and sign in for nothing.
    return respondWithProblem(c, "service-unavailable", {
      detail: "The access token cannot be checked right now; try again.",
      headers: { "retry-after": "1" },
    });
  }
  if (!result.ok) {
    return respondWithProblem(c, "unauthorized", {
      detail: "The access token is not valid.",
      headers: challenge("the access token is invalid or expired"),
    });
  }
  c.set("principal", result.principal);
  return next();
});
