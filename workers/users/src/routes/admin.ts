import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { UsersEnv } from "../env.ts";
import { listProfiles } from "../profiles.ts";
import { presentProfile } from "./me.ts";
import { accountSchema, profileSchema, roleSchema } from "./schemas.ts";

/** The owning worker decides: only admins manage other people, whatever the gateway let through. */
const admins = anyRole(["admin"], "Only an admin can do this.");
const idParam = z.object({ id: z.uuid() });

const list = defineRoute(admins, {
  method: "get",
  operationId: "listUsers",
  path: "/api/users",
  summary: "Find people by name or email (admin), cursor-paginated",
  tags: ["users"],
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).optional(),
      cursor: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: {
      description: "A page of profiles",
      content: json(
        z.object({
          items: z.array(profileSchema.extend({ email: z.string().nullable() })),
          nextCursor: z.uuid().nullable(),
        }),
      ),
    },
    400: problem("Invalid query"),
  },
});

const changeRoles = defineRoute(admins, {
  method: "put",
  operationId: "setUserRoles",
  path: "/api/users/{id}/roles",
  summary: "Set someone's roles (admin)",
  tags: ["users"],
  request: {
    params: idParam,
    body: { required: true, content: json(z.object({ roles: z.array(roleSchema).min(1).max(3) })) },
  },
  responses: {
    200: { description: "The account", content: json(accountSchema) },
    400: problem("Invalid input"),
    404: problem("No such user"),
  },
});

const changeStatus = defineRoute(admins, {
  method: "put",
  operationId: "setUserStatus",
  path: "/api/users/{id}/status",
  summary: "Disable someone (their sessions end at once) or enable them again (admin)",
  tags: ["users"],
  request: {
    params: idParam,
    body: { required: true, content: json(z.object({ status: z.enum(["active", "disabled"]) })) },
  },
  responses: {
    200: { description: "The account", content: json(accountSchema) },
    400: problem("Invalid input"),
    404: problem("No such user"),
  },
});

async function change(
  c: Context<UsersEnv>,
  id: string,
  changes: Parameters<UsersEnv["Bindings"]["AUTH"]["changeAccount"]>[1],
) {
  const result = await c.env.AUTH.changeAccount(id, changes, c.var.correlationId);
  if (!result.ok) {
    throw result.code === "not_found"
      ? new ProblemError("not-found", { detail: "No such user." })
      : new ProblemError("service-unavailable", { detail: "Accounts are unavailable; try again." });
  }
  return result.value;
}

export const adminRoutes = new OpenAPIHono<UsersEnv>()
  .openapi(list, async (c) => {
    const { q, cursor, limit } = c.req.valid("query");
    const page = await listProfiles(c.var.database().db, { search: q, cursor, limit });
    return c.json(
      {
        items: page.items.map((profile) => ({ ...presentProfile(profile), email: profile.email })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  })
  .openapi(changeRoles, async (c) => {
    const { id } = c.req.valid("param");
    if (id === requirePrincipal(c).userId && !c.req.valid("json").roles.includes("admin")) {
      // The last admin could lock everyone out of administration; removing one's own admin role is refused.
      throw new ProblemError("conflict", { detail: "You cannot remove your own admin role." });
    }
    return c.json(await change(c, id, { roles: [...new Set(c.req.valid("json").roles)] }), 200);
  })
  .openapi(changeStatus, async (c) => {
    const { id } = c.req.valid("param");
    if (id === requirePrincipal(c).userId)
      throw new ProblemError("conflict", { detail: "You cannot disable yourself." });
    return c.json(await change(c, id, { status: c.req.valid("json").status }), 200);
  });
