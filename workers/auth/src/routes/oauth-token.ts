import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { API_KEY_PREFIX, isApiScope } from "@platform/contracts";
import { defineRoute, documentByHand, json, publicAccess } from "@platform/service-kit";
import { issueClientCredentialsToken } from "../access-tokens.ts";
import { resolveApiKey } from "../api-keys.ts";
import { tokenSettings, type AuthEnv } from "../env.ts";

/**
 * RFC 6749 §4.4: an API key exchanged for a short-lived access token, for tooling that speaks
 * OAuth. The client id is the key's public start (`elk_<id>`), the client secret the rest of it;
 * they come as HTTP Basic (§2.3.1) or in the form. Errors are OAuth's own JSON (§5.2), which such
 * tooling reads, not problem+json.
 */
const oauthError = z
  .object({
    error: z.enum(["invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope"]),
    error_description: z.string(),
  })
  .openapi("OAuthError");

const tokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    scope: z.string().openapi({ description: "The scopes granted, space-separated: the key's, or fewer if asked" }),
  })
  .openapi("OAuthTokenResponse");

const route = defineRoute(publicAccess("the client credentials in the request are the credential"), {
  method: "post",
  operationId: "issueOAuthToken",
  path: "/api/auth/oauth/token",
  summary: "OAuth 2.0 client credentials: an API key for a 5-minute access token with its scopes",
  description:
    "`grant_type=client_credentials`, form-encoded. Client authentication with HTTP Basic (`client_id:client_secret`) " +
    "or `client_id` and `client_secret` in the form: the client id is the key up to its second underscore " +
    "(`elk_<id>`), the secret the rest. `scope` (space-separated) may narrow the key's scopes, never widen them.",
  tags: ["integrators"],
  request: {
    body: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: z.object({
            grant_type: z.literal("client_credentials"),
            scope: z.string().optional(),
            client_id: z.string().optional(),
            client_secret: z.string().optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: "The access token", content: json(tokenResponse) },
    400: { description: "Not a client-credentials request, or a scope the key lacks", content: json(oauthError) },
    401: { description: "Unknown, revoked or wrong client credentials", content: json(oauthError) },
  },
});

type OAuthErrorCode = z.infer<typeof oauthError>["error"];

function refuse(c: Context, status: 400 | 401, error: OAuthErrorCode, description: string, basic = false) {
  c.header("cache-control", "no-store");
  if (status === 401) c.header("www-authenticate", basic ? 'Basic realm="api-keys"' : 'Bearer realm="api-keys"');
  return c.json({ error, error_description: description }, status);
}

/** Basic credentials per RFC 6749 §2.3.1: each half form-urlencoded, then base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replaceAll("+", " "));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export const oauthTokenRoutes = new OpenAPIHono<AuthEnv>();

// By hand: the body is a form, and the errors are OAuth's, not the kit's problem+json.
oauthTokenRoutes.post(route.getRoutingPath(), documentByHand(oauthTokenRoutes, route), async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return refuse(c, 400, "invalid_request", "Send the request as application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(await c.req.text());
  if (form.get("grant_type") !== "client_credentials") {
    return refuse(c, 400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
  }
  const basic = basicCredentials(c.req.header("authorization"));
  const inForm = form.has("client_id") || form.has("client_secret");
  if (basic && inForm) {
    return refuse(c, 400, "invalid_request", "Send the client credentials one way: HTTP Basic or the form.");
  }
  const id = basic?.id ?? form.get("client_id") ?? "";
  const secret = basic?.secret ?? form.get("client_secret") ?? "";
  if (!id.startsWith(API_KEY_PREFIX) || secret === "") {
    return refuse(c, 401, "invalid_client", "Unknown client, or no client secret.", basic !== undefined);
  }
  const key = await resolveApiKey(c.var.database().db, { key: `${id}_${secret}` });
  if (!key)
    return refuse(c, 401, "invalid_client", "Unknown, revoked or wrong client credentials.", basic !== undefined);

  const asked = (form.get("scope") ?? "").split(" ").filter(Boolean);
  const unknown = asked.filter((scope) => !isApiScope(scope) || !key.scopes.includes(scope));
  if (unknown.length > 0) {
    return refuse(c, 400, "invalid_scope", `The key does not have: ${unknown.join(", ").slice(0, 200)}.`);
  }
  const scopes = asked.length > 0 ? [...new Set(asked)] : [...key.scopes];
  const { token, expiresIn } = await issueClientCredentialsToken(tokenSettings(c.env), {
    userId: key.userId,
    roles: key.roles,
    keyId: key.keyId,
    clientId: id,
    scopes,
  });
  c.header("cache-control", "no-store");
  c.header("pragma", "no-cache");
  return c.json(
    { access_token: token, token_type: "Bearer" as const, expires_in: expiresIn, scope: scopes.join(" ") },
    200,
  );
});
