import { OpenAPIHono } from "@hono/zod-openapi";
import { SIGNING_ALGORITHM, signingKeys } from "../signing-keys.ts";
import type { AuthEnv } from "../env.ts";

/**
 * Published through the gateway at the platform's origin, so any OIDC/JWT library can verify
 * our access tokens: the JWKS (every key that may have signed a live token) and a discovery
 * document describing it.
 */
export const wellKnownRoutes = new OpenAPIHono<AuthEnv>()
  .get("/.well-known/jwks.json", async (c) => {
    const keys = await signingKeys(c.env.JWT_PRIVATE_KEYS);
    c.header("cache-control", "public, max-age=300");
    return c.json({ keys: keys.publicJwks });
  })
  .get("/.well-known/openid-configuration", (c) => {
    const issuer = c.env.JWT_ISSUER;
    c.header("cache-control", "public, max-age=3600");
    return c.json({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      // Sign-in is `POST /api/auth/login` (JSON), not an OAuth endpoint, so none is advertised.
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "jti", "roles"],
    });
  });
