import { OpenAPIHono } from "@hono/zod-openapi";
import { v7 as uuidv7 } from "uuid";
import { ProblemError } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { EmailTakenError, normaliseEmail, registerAccount } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { checkPassword } from "../password-policy.ts";
import { registerBody, userResponse } from "./schemas.ts";

const route = defineRoute(publicAccess("signing up: the caller has no account yet"), {
  method: "post",
  path: "/api/auth/register",
  summary: "Create an account",
  tags: ["auth"],
  request: { body: { required: true, content: json(registerBody) } },
  responses: {
    201: { description: "The account was created", content: json(userResponse) },
    400: problem("Invalid input, or a password that is too short, too long or too common"),
    409: problem("An account with this email exists"),
  },
});

export const registerRoutes = new OpenAPIHono<AuthEnv>().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const email = normaliseEmail(body.email);
  const verdict = checkPassword(body.password, { email, name: body.name });
  if (!verdict.ok) {
    throw new ProblemError("validation-failed", {
      detail: "The password cannot be used.",
      errors: [{ path: "json.password", message: verdict.reason }],
    });
  }
  try {
    const account = await registerAccount(
      c.var.database().db,
      { id: uuidv7(), email, password: body.password, name: body.name },
      { correlationId: c.var.correlationId },
    );
    return c.json(
      {
        id: account.id,
        email: account.email,
        name: body.name,
        roles: account.roles,
        createdAt: account.createdAt.toISOString(),
      },
      201,
    );
  } catch (error) {
    if (error instanceof EmailTakenError) {
      throw new ProblemError("conflict", { detail: error.message });
    }
    throw error;
  }
});
