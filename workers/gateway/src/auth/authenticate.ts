import { createMiddleware } from "hono/factory";
import { API_KEY_PATTERN } from "@platform/contracts";
import { respondWithProblem } from "@platform/http-kit";
import type { GatewayEnv } from "../forward.ts";
import { keyRefusal } from "./key-scope.ts";
import { fromApiKey, verifyBearer, type VerifiedPrincipal } from "./verify-bearer.ts";

/** The auth worker's client-credentials endpoint (workers/auth/src/routes/oauth-token.ts). */
const OAUTH_TOKEN_PATH = "/api/auth/oauth/token";

export type AuthVariables = { principal: VerifiedPrincipal | undefined };

/**
 * Authenticates, never authorises: a request with no `Authorization` header goes on anonymous
 * (the domain worker decides whether that is enough); one with a token that fails any check is
 * stopped here with 401. Which user may touch which data is the owning worker's decision.
 *
 * One exception, as defence in depth: an API key (or a key's client-credentials token) is held to
 * the scope its route declares in the OpenAPI document, and refused here with 403 before anything
 * is forwarded (docs/integrators.md#scopes). The owning worker checks it again.
 */
export const authenticate = createMiddleware<GatewayEnv & { Variables: AuthVariables }>(async (c, next) => {
  c.set("principal", undefined);
  const header = c.req.header("authorization");
  if (header === undefined) return next();
  // OAuth's token endpoint takes the client credentials as HTTP Basic (RFC 6749 §2.3.1): the auth worker checks them.
  if (c.req.path === OAUTH_TOKEN_PATH && /^Basic\s/i.test(header)) return next();
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*|elk_[A-Za-z0-9_-]+)$/.exec(header);
  const challenge = (description: string) => ({
    "www-authenticate": `Bearer error="invalid_token", error_description="${description}"`,
  });
  const credential = match?.[1];
  if (!credential || (credential.startsWith("elk_") && !API_KEY_PATTERN.test(credential))) {
    return respondWithProblem(c, "unauthorized", {
      detail: "The Authorization header must be `Bearer <access token>` or `Bearer <API key>`.",
      headers: challenge("malformed header"),
    });
  }
  const settings = {
    auth: c.env.AUTH,
    issuer: c.env.JWT_ISSUER,
    audience: c.env.JWT_AUDIENCE,
    correlationId: c.var.correlationId,
  };
  // An API key is looked up on every request (not cached), so a revoked one is refused at once.
  const result = credential.startsWith("elk_")
    ? await fromApiKey(settings, { key: credential })
    : await verifyBearer(settings, credential);
  if (!result.ok && result.unavailable) {
    // Not the token's fault: a 401 would send the client to refresh and sign in for nothing.
    return respondWithProblem(c, "service-unavailable", {
      detail: "The access token cannot be checked right now; try again.",
      headers: { "retry-after": "1" },
    });
  }
  if (!result.ok) {
    const isKey = credential.startsWith("elk_");
    return respondWithProblem(c, "unauthorized", {
      detail: isKey ? "The API key is not valid: unknown, revoked, or replaced." : "The access token is not valid.",
      headers: challenge(isKey ? "the API key is invalid or revoked" : "the access token is invalid or expired"),
    });
  }
  c.set("principal", result.principal);
  const apiKey = result.principal.apiKey;
  const refusal = apiKey && keyRefusal(apiKey.scopes, c.req.method, c.req.path);
  if (refusal) {
    return respondWithProblem(c, "forbidden", {
      detail: refusal.detail,
      headers: {
        "www-authenticate": refusal.scope
          ? `Bearer error="insufficient_scope", scope="${refusal.scope}"`
          : `Bearer error="insufficient_scope", error_description="the route is not open to API keys"`,
      },
    });
  }
  return next();
});
