import { OpenAPIHono, z } from "@hono/zod-openapi";
import { API_SCOPES } from "@platform/contracts";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "../api-keys.ts";
import type { AuthEnv } from "../env.ts";

/** Keys are made and managed by admins (docs/integrators.md); the kit checks it before the body is read. */
const admins = anyRole(["admin"], "Only an admin can manage API keys.");

/** The longest a rotated key's old secret may keep working: a week. */
const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;
const DEFAULT_GRACE_SECONDS = 24 * 60 * 60;

const scope = z.enum(API_SCOPES).openapi({ description: "What the key may do (docs/integrators.md#scopes)" });

const apiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "The key's public start, `elk_<id>`, to recognise it", example: "elk_0193…" }),
    scopes: z.array(scope),
    ownerId: z.uuid().openapi({ description: "The admin the key acts for" }),
    createdAt: z.iso.datetime(),
    rotatedAt: z.iso.datetime().nullable(),
    previousValidUntil: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "Until when the secret before the last rotation still works" }),
    lastUsedAt: z.iso.datetime().nullable().openapi({ description: "To the minute" }),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi("ApiKey");

const issuedKey = apiKey
  .extend({
    key: z.string().openapi({
      description: "The key itself, shown this once: send it as `Authorization: Bearer <key>`",
      example: "elk_0193a1c2d3e4f5a6b7c8d9e0f1a2b3c4_…",
    }),
  })
  .openapi("IssuedApiKey");

const createBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: "What the key is for", example: "CRM sync" }),
    scopes: z.array(scope).min(1).max(API_SCOPES.length),
  })
  .strict()
  .openapi("ApiKeyInput");

const rotateBody = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_SECONDS)
      .default(DEFAULT_GRACE_SECONDS)
      .openapi({ description: "How long the current secret keeps working beside the new one (0: not at all)" }),
  })
  .strict()
  .openapi("ApiKeyRotation");

const idParam = z.object({ id: z.uuid() });
const notFound = () => new ProblemError("not-found", { detail: "No such API key, or it was revoked." });

const create = defineRoute(admins, {
  method: "post",
  operationId: "createApiKey",
  path: "/api/auth/api-keys",
  summary: "Make an API key with scopes (admin); the key is in this answer only",
  tags: ["integrators"],
  request: { body: { required: true, content: json(createBody) } },
  responses: {
    201: { description: "Made: keep `key` now, it cannot be shown again", content: json(issuedKey) },
    400: problem("Invalid input: a name, and one or more known scopes"),
  },
});

const list = defineRoute(admins, {
  method: "get",
  operationId: "listApiKeys",
  path: "/api/auth/api-keys",
  summary: "Every API key, newest first, revoked ones included (admin; secrets are never returned)",
  tags: ["integrators"],
  responses: { 200: { description: "The keys", content: json(z.object({ items: z.array(apiKey) })) } },
});

const rotate = defineRoute(admins, {
  method: "post",
  operationId: "rotateApiKey",
  path: "/api/auth/api-keys/{id}/rotate",
  summary: "Give an API key a new secret; the old one works on for the grace period (admin)",
  tags: ["integrators"],
  request: { params: idParam, body: { required: false, content: json(rotateBody) } },
  responses: {
    200: { description: "Rotated: keep `key` now", content: json(issuedKey) },
    400: problem("Invalid input"),
    404: problem("No such key, or it was revoked"),
  },
});

const revoke = defineRoute(admins, {
  method: "delete",
  operationId: "revokeApiKey",
  path: "/api/auth/api-keys/{id}",
  summary: "Revoke an API key: it stops working at once (admin)",
  tags: ["integrators"],
  request: { params: idParam },
  responses: {
    200: { description: "Revoked (again: the first revocation's time is kept)", content: json(apiKey) },
    400: problem("Invalid input"),
    404: problem("No such key"),
  },
});

export const apiKeyRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(create, async (c) => {
    const { userId } = requirePrincipal(c);
    const { view, key } = await createApiKey(c.var.database().db, { ...c.req.valid("json"), ownerId: userId });
    return c.json({ ...view, key }, 201);
  })
  .openapi(list, async (c) => c.json({ items: await listApiKeys(c.var.database().db) }, 200))
  .openapi(rotate, async (c) => {
    // No body (the validator skips an optional one): the default grace.
    const graceSeconds = (c.req.valid("json") as { graceSeconds?: number }).graceSeconds ?? DEFAULT_GRACE_SECONDS;
    const rotated = await rotateApiKey(c.var.database().db, c.req.valid("param").id, graceSeconds);
    if (!rotated) throw notFound();
    return c.json({ ...rotated.view, key: rotated.key }, 200);
  })
  .openapi(revoke, async (c) => {
    const revoked = await revokeApiKey(c.var.database().db, c.req.valid("param").id);
    if (!revoked) throw new ProblemError("not-found", { detail: "No such API key." });
    return c.json(revoked, 200);
  });
