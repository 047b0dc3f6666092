import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { v7 as uuidv7 } from "uuid";
import { ProblemError, requireRole } from "@platform/http-kit";
import { isUniqueViolation } from "@platform/db";
import { oidcProviders } from "../db/schema.ts";
import type { AuthEnv } from "../env.ts";
import { problemContent } from "./schemas.ts";

const role = z.enum(["learner", "instructor", "admin"]);

/** https only, except a loopback issuer (a provider running on the same machine, as in local tests). */
const issuerUrl = z.url().refine((value) => {
  const url = new URL(value);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  return (url.protocol === "https:" || (url.protocol === "http:" && loopback)) && !url.search && !url.hash;
}, "Use an https URL (http only for a loopback address), without query or fragment.");

const providerInput = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Lower-case letters, digits and dashes."),
    issuer: issuerUrl,
    clientId: z.string().min(1).max(200),
    clientSecret: z.string().min(1).max(500).optional(),
    audience: z.string().min(1).max(200),
    roleClaim: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
      .default("realm_access.roles"),
    roleMap: z.record(z.string().min(1).max(100), role).default({}),
  })
  .openapi("OidcProviderInput");

const providerOutput = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    issuer: z.string(),
    clientId: z.string(),
    hasClientSecret: z.boolean(),
    audience: z.string(),
    roleClaim: z.string(),
    roleMap: z.record(z.string(), role),
    enabled: z.boolean(),
  })
  .openapi("OidcProvider");

function requireAdmin(c: Context<AuthEnv>): void {
  requireRole(c, "admin", "Only an admin can configure identity providers.");
}

function present(row: typeof oidcProviders.$inferSelect): z.infer<typeof providerOutput> {
  return {
    id: row.id,
    slug: row.slug,
    issuer: row.issuer,
    clientId: row.clientId,
    hasClientSecret: row.clientSecret !== null,
    audience: row.audience,
    roleClaim: row.roleClaim,
    roleMap: row.roleMap,
    enabled: row.enabled,
  };
}

const create = createRoute({
  method: "post",
  path: "/api/auth/providers",
  summary: "Trust an external OpenID provider (admin)",
  tags: ["auth"],
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: providerInput } } } },
  responses: {
    201: { description: "Configured", content: { "application/json": { schema: providerOutput } } },
    400: { description: "Invalid input", content: problemContent },
    401: { description: "Not signed in", content: problemContent },
    403: { description: "Not an admin", content: problemContent },
    409: { description: "That slug or issuer is configured already", content: problemContent },
  },
});

const list = createRoute({
  method: "get",
  path: "/api/auth/providers",
  summary: "The external OpenID providers (admin; secrets are never returned)",
  tags: ["auth"],
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: "Configured providers",
      content: { "application/json": { schema: z.object({ items: z.array(providerOutput) }) } },
    },
    401: { description: "Not signed in", content: problemContent },
    403: { description: "Not an admin", content: problemContent },
  },
});

export const providerRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(create, async (c) => {
    requireAdmin(c);
    const input = c.req.valid("json");
    try {
      const [row] = await c.var
        .database()
        .db.insert(oidcProviders)
        .values({ id: uuidv7(), ...input, issuer: input.issuer.replace(/\/$/, ""), clientSecret: input.clientSecret ?? null })
        .returning();
      if (!row) throw new Error("insert returned no row");
      return c.json(present(row), 201);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProblemError("conflict", { detail: "A provider with this slug or issuer exists." });
      }
      throw error;
    }
  })
  .openapi(list, async (c) => {
    requireAdmin(c);
    const rows = await c.var.database().db.select().from(oidcProviders).orderBy(oidcProviders.slug);
    return c.json({ items: rows.map(present) }, 200);
  });
