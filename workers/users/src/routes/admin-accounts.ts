import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { UsersEnv } from "../env.ts";
import { eraseProfile, findProfile } from "../profiles.ts";
import { presentProfile } from "./me.ts";
import { accountSchema, profileSchema } from "./schemas.ts";

/**
 * One person, as an admin manages them: the account (roles, status, sessions: the auth worker's
 * data, read through its RPC) beside the profile (this worker's), and their erasure. The list and
 * the changes of roles and status are in admin.ts.
 */
const admins = anyRole(["admin"], "Only an admin can do this.");
const idParam = z.object({ id: z.uuid() });

const personSchema = z
  .object({
    account: accountSchema,
    profile: profileSchema
      .extend({ email: z.string().nullable() })
      .nullable()
      .openapi({ description: "null until USER_CREATED has made it (seconds after registration)" }),
  })
  .openapi("ManagedPerson");

const noSuchUser = () => new ProblemError("not-found", { detail: "No such user." });
const unavailable = () => new ProblemError("service-unavailable", { detail: "Accounts are unavailable; try again." });

const read = defineRoute(admins, {
  method: "get",
  operationId: "getUser",
  path: "/api/users/{id}",
  summary: "Someone's account and profile (admin)",
  tags: ["users"],
  request: { params: idParam },
  responses: {
    200: { description: "The person", content: json(personSchema) },
    400: problem("Invalid id"),
    404: problem("No such user"),
    503: problem("Accounts are unavailable"),
  },
});

const erase = defineRoute(admins, {
  method: "delete",
  operationId: "eraseUser",
  path: "/api/users/{id}",
  summary: "Erase someone's account (admin): personal data removed, every session ended",
  description:
    "The same erasure as `DELETE /api/users/me` (USER_DELETED; every service removes what it holds), for another " +
    "person. An admin erases their own account with `DELETE /api/users/me`.",
  tags: ["users"],
  request: { params: idParam },
  responses: {
    204: { description: "Erased" },
    400: problem("Invalid id"),
    404: problem("No such user"),
    409: problem("Your own account: use DELETE /api/users/me"),
    503: problem("Accounts are unavailable"),
  },
});

export const adminAccountRoutes = new OpenAPIHono<UsersEnv>()
  .openapi(read, async (c) => {
    const { id } = c.req.valid("param");
    const [account, profile] = await Promise.all([c.env.AUTH.exportAccount(id), findProfile(c.var.database().db, id)]);
    if (!account.ok) throw account.code === "not_found" ? noSuchUser() : unavailable();
    return c.json(
      { account: account.value, profile: profile ? { ...presentProfile(profile), email: profile.email } : null },
      200,
    );
  })
  .openapi(erase, async (c) => {
    const { id } = c.req.valid("param");
    // Erasing oneself from the console would end the admin's own session mid-page; the account page does that.
    if (id === requirePrincipal(c).userId) {
      throw new ProblemError("conflict", { detail: "You cannot erase your own account here; use your account page." });
    }
    // The account first, as for one's own erasure: once it is gone no new session can start; the profile follows.
    const erased = await c.env.AUTH.eraseAccount(id, c.var.correlationId);
    if (!erased.ok) throw erased.code === "not_found" ? noSuchUser() : unavailable();
    await eraseProfile(c.var.database().db, id);
    return c.body(null, 204);
  });
