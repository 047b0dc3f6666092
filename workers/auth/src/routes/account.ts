import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import { findAccountById } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { accountResponse } from "./schemas.ts";

const route = defineRoute(signedIn, {
  method: "get",
  operationId: "getAccount",
  path: "/api/auth/me",
  summary: "The signed-in account: address, whether it is confirmed, roles, status",
  tags: ["auth"],
  responses: {
    200: { description: "The account", content: json(accountResponse) },
    404: problem("The account is gone"),
  },
});

export const accountRoutes = new OpenAPIHono<AuthEnv>().openapi(route, async (c) => {
  const { userId } = requirePrincipal(c);
  const account = await findAccountById(c.var.database().db, userId);
  if (!account) throw new ProblemError("not-found", { detail: "There is no such account." });
  c.header("cache-control", "private, no-store");
  return c.json(
    {
      id: account.id,
      email: account.email,
      emailVerified: account.emailVerified,
      roles: account.roles,
      status: account.status,
      createdAt: account.createdAt.toISOString(),
    },
    200,
  );
});
