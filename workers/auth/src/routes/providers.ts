import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { AuthEnv } from "../env.ts";
import {
  ProviderExistsError,
  createProvider,
  listProviders,
  removeProvider,
  setProviderEnabled,
  type Provider,
} from "../providers.ts";
import { SecretKeyError } from "../secret-box.ts";

const role = z.enum(["learner", "instructor", "admin"]);

/** Configuring identity providers is for admins; the kit checks it before the body is read. */
const admins = anyRole(["admin"], "Only an admin can configure identity providers.");

/** `new URL` that answers undefined instead of throwing. */
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** https only, except a loopback issuer (a provider running on the same machine, as in local tests). */
const issuerUrl = z.url().refine((value) => {
  // zod runs this check even when `z.url()` has failed: that failure is the field's error already.
  const url = parseUrl(value);
  if (!url) return true;
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

function present(row: Provider): z.infer<typeof providerOutput> {
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

const create = defineRoute(admins, {
  method: "post",
  operationId: "createOidcProvider",
  path: "/api/auth/providers",
  summary: "Trust an external OpenID provider (admin)",
  tags: ["auth"],
  request: { body: { required: true, content: json(providerInput) } },
  responses: {
    201: { description: "Configured", content: json(providerOutput) },
    400: problem("Invalid input"),
    409: problem("That slug or issuer is configured already"),
    503: problem("A client secret was given and OIDC_SECRETS_KEY is not configured"),
  },
});

const list = defineRoute(admins, {
  method: "get",
  operationId: "listOidcProviders",
  path: "/api/auth/providers",
  summary: "The external OpenID providers (admin; secrets are never returned)",
  tags: ["auth"],
  responses: {
    200: { description: "Configured providers", content: json(z.object({ items: z.array(providerOutput) })) },
  },
});

const idParam = z.object({ id: z.uuid() });
const notFound = () => new ProblemError("not-found", { detail: "No such provider." });

const change = defineRoute(admins, {
  method: "patch",
  operationId: "updateOidcProvider",
  path: "/api/auth/providers/{id}",
  summary: "Disable or enable an external OpenID provider (admin); its tokens stop working within seconds",
  tags: ["auth"],
  request: {
    params: idParam,
    body: { required: true, content: json(z.object({ enabled: z.boolean() }).strict().openapi("OidcProviderChange")) },
  },
  responses: {
    200: { description: "The provider", content: json(providerOutput) },
    400: problem("Invalid input"),
    404: problem("No such provider"),
  },
});

const remove = defineRoute(admins, {
  method: "delete",
  operationId: "deleteOidcProvider",
  path: "/api/auth/providers/{id}",
  summary: "Stop trusting an external OpenID provider and forget its subject links (admin)",
  tags: ["auth"],
  request: { params: idParam },
  responses: {
    204: { description: "Removed" },
    400: problem("Invalid input"),
    404: problem("No such provider"),
  },
});

export const providerRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(create, async (c) => {
    try {
      const provider = await createProvider(c.var.database().db, c.req.valid("json"), c.env.OIDC_SECRETS_KEY);
      return c.json(present(provider), 201);
    } catch (error) {
      if (error instanceof ProviderExistsError) throw new ProblemError("conflict", { detail: error.message });
      // Never store a client secret in plain text: without a key, adding one waits for the configuration.
      if (error instanceof SecretKeyError) throw new ProblemError("service-unavailable", { detail: error.message });
      throw error;
    }
  })
  .openapi(list, async (c) => {
    const providers = await listProviders(c.var.database().db);
    return c.json({ items: providers.map(present) }, 200);
  })
  .openapi(change, async (c) => {
    const provider = await setProviderEnabled(
      c.var.database().db,
      c.req.valid("param").id,
      c.req.valid("json").enabled,
    );
    if (!provider) throw notFound();
    return c.json(present(provider), 200);
  })
  .openapi(remove, async (c) => {
    if (!(await removeProvider(c.var.database().db, c.req.valid("param").id))) throw notFound();
    return c.body(null, 204);
  });
