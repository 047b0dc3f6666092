import type { OpenApiDocument } from "./document.ts";

/**
 * What the gateway itself answers at the origin, written by hand (the gateway bundles no zod): the live socket
 * and its tickets,
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
/** Every worker's shared `Problem` schema (the merged document has it from the domain workers' documents). */
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});

const liveTicket = {
  type: "object",
  required: ["ticket", "expiresAt", "url"],
  properties: {
    ticket: { type: "string", description: "Single use, for one socket of the caller's own." },
    expiresAt: { type: "string", format: "date-time", description: "At most 60 s away." },
    url: { type: "string", examples: ["/api/live?ticket=v1.eyJz….Jk9"], description: "Open it as `wss:`." },
  },
};

/** The live channel (docs/live.md): the gateway checks tickets itself and forwards the upgrade to progress. */
const livePaths = {
  "/api/live/ticket": {
    post: {
      operationId: "createLiveTicket",
      summary: "A single-use ticket to open your live socket",
      description:
        "For clients that cannot put a bearer token on a WebSocket (browsers): valid once, for at most 60 s, never an access token in a URL.",
      tags: ["live"],
      security: [{ bearer: [] }],
      responses: {
        200: { description: "The ticket, and the URL to open with it", content: json(ref("LiveTicket")) },
        401: problem("Not signed in, or the access token is not valid"),
        429: problem("Too many requests from this caller"),
        503: problem("Live updates are not configured"),
      },
    },
  },
  "/api/live": {
    get: {
      operationId: "openLiveSocket",
      summary: "Your live updates, over WebSocket",
      description:
        "A WebSocket upgrade. Frames are JSON: `message` (`seq`, `at`, `message`), `ready` (caught up to `seq`) and " +
        "`snapshot` (reload from the REST API, then continue after `seq`). Send the text `ping` for `pong`, at the " +
        '`keepalive` you chose; `{"kind":"resume","after":n}` once, instead of `after`. Anything else ' +
        "closes the socket (1003, 1008, 1009); silence for 1.5 × keepalive closes it with 4000.",
      tags: ["live"],
      parameters: [
        {
          name: "ticket",
          in: "query",
          required: true,
          schema: { type: "string" },
          description: "From POST /api/live/ticket",
        },
        {
          name: "after",
          in: "query",
          required: false,
          schema: { type: "integer", minimum: 0 },
          description: "The last sequence number this device saw: what came after it is replayed first",
        },
        {
          name: "keepalive",
          in: "query",
          required: false,
          schema: { type: "integer", minimum: 5, maximum: 300, default: 30 },
          description: "How often (seconds) this device will send `ping`",
        },
      ],
      responses: {
        101: { description: "Switching to WebSocket" },
        400: problem("Not a WebSocket upgrade, or a bad `after` or `keepalive` (field errors)"),
        401: problem("No ticket, or one that is forged, expired or already used"),
        429: problem("Too many requests from this client"),
        503: problem("Live updates are not configured"),
      },
    },
  },
};

export const gatewayDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Edge Learning: gateway", version: "0.1.0" },
  tags: [
    { name: "platform", description: "The gateway's own endpoints: health and the keys that verify access tokens" },
    // Said the same way as in the progress worker's document: the merge refuses a tag described twice differently.
    { name: "live", description: "Every open device of a learner kept in sync over WebSocket" },
  ],
  paths: {
    ...livePaths,
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
  components: { schemas: { PlatformHealth: platformHealth, JsonWebKeySet: jsonWebKeySet, LiveTicket: liveTicket } },
};
