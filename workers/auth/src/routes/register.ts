import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { v7 as uuidv7 } from "uuid";
import { ProblemError } from "@platform/http-kit";
import { EmailTakenError, normaliseEmail, registerAccount } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { checkPassword } from "../password-policy.ts";
import { problemContent, registerBody, userResponse } from "./schemas.ts";

const route = createRoute({
  method: "post",
  path: "/api/auth/register",
  summary: "Create an account",
  tags: ["auth"],
  request: { body: { required: true, content: { "application/json": { schema: registerBody } } } },
  responses: {
    201: { description: "The account was created", content: { "application/json": { schema: userResponse } } },
    400: { description: "Invalid input, or a password that is too short, too long or too common", content: problemContent },
    409: { description: "An account with this email exists", content: problemContent },
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
      { id: account.id, email: account.email, name: body.name, roles: account.roles, createdAt: account.createdAt.toISOString() },
      201,
    );
  } catch (error) {
    if (error instanceof EmailTakenError) {
      throw new ProblemError("conflict", { detail: error.message });
    }
    throw error;
  }
});
