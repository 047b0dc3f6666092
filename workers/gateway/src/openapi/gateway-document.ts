import type { OpenApiDocument } from "./document.ts";

/**
 * What the gateway itself answers at the origin, written by hand (the gateway bundles no zod):
 * `/api/health`, and the auth worker's JWKS and discovery document, which the gateway publishes
 * at `/.well-known/*` so any JWT library can verify our access tokens.
 */
const status = { type: "string", enum: ["pass", "fail"] };

const platformHealth = {
  type: "object",
  required: ["status", "gateway", "services", "database", "site"],
  properties: {
    status: { ...status, description: "`pass` only when everything below passes." },
    gateway: { type: "object", required: ["status"], properties: { status: { const: "pass" } } },
    services: {
      type: "object",
      description: "One entry per domain worker, asked through its service binding.",
      additionalProperties: {
        type: "object",
        required: ["status"],
        properties: {
          status,
          latencyMs: { type: "number", description: "Admins only." },
          error: { type: "string", description: "Admins only: why the worker or its schema fails." },
        },
      },
    },
    database: {
      type: "object",
      required: ["status", "schemas"],
      properties: {
        status,
        schemas: {
          type: "object",
          description: "Each service's PostgreSQL schema, as that service sees it.",
          additionalProperties: status,
        },
      },
    },
    site: {
      type: "object",
      required: ["status"],
      properties: { status, error: { type: "string", description: "Admins only." } },
    },
  },
};

const jsonWebKeySet = {
  type: "object",
  required: ["keys"],
  properties: {
    keys: {
      type: "array",
      description: "Every key that may have signed a live access token; match the token's `kid`.",
      items: {
        type: "object",
        required: ["kty", "kid"],
        properties: {
          kty: { type: "string", examples: ["OKP"] },
          crv: { type: "string", examples: ["Ed25519"] },
          x: { type: "string" },
          kid: { type: "string" },
          alg: { type: "string", examples: ["EdDSA"] },
          use: { type: "string", examples: ["sig"] },
        },
      },
    },
  },
};

const json = (schema: unknown) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const gatewayDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Edge Learning: gateway", version: "0.1.0" },
  tags: [
    { name: "platform", description: "The gateway's own endpoints: health and the keys that verify access tokens" },
  ],
  paths: {
    "/api/health": {
      get: {
        operationId: "getPlatformHealth",
        summary: "Health of the gateway, every domain worker, its database schema and the site",
        description:
          "Anyone gets the statuses. With an admin's access token the answer also says how long each worker took and why anything fails.",
        tags: ["platform"],
        responses: {
          200: { description: "Everything passes", content: json(ref("PlatformHealth")) },
          503: { description: "Something fails; the body says what", content: json(ref("PlatformHealth")) },
        },
      },
    },
    "/.well-known/jwks.json": {
      get: {
        operationId: "getJsonWebKeySet",
        summary: "Public keys that verify access tokens (RFC 7517)",
        tags: ["platform"],
        responses: { 200: { description: "The key set", content: json(ref("JsonWebKeySet")) } },
      },
    },
    "/.well-known/openid-configuration": {
      get: {
        operationId: "getOpenIdConfiguration",
        summary: "Discovery document: the issuer and where its keys are",
        tags: ["platform"],
        responses: {
          200: {
            description: "Issuer metadata (OpenID Connect Discovery 1.0)",
            content: json({
              type: "object",
              required: ["issuer", "jwks_uri"],
              properties: { issuer: { type: "string", format: "uri" }, jwks_uri: { type: "string", format: "uri" } },
              additionalProperties: true,
            }),
          },
        },
      },
    },
  },
  components: { schemas: { PlatformHealth: platformHealth, JsonWebKeySet: jsonWebKeySet } },
};
