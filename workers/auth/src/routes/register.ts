import { OpenAPIHono } from "@hono/zod-openapi";
import { v7 as uuidv7 } from "uuid";
import { ProblemError } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { requestResetLink, signInLink, tokenLifetimeSeconds, verifyEmailLink } from "../account-links.ts";
import { localeHintFrom, sendAccountMail } from "../account-mail.ts";
import { EmailTakenError, findAccountByEmail, normaliseEmail, registerAccount } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { authMetrics } from "../metrics.ts";
import { checkPassword } from "../password-policy.ts";
import { registerBody, userResponse } from "./schemas.ts";

const route = defineRoute(publicAccess("signing up: the caller has no account yet"), {
  method: "post",
  operationId: "registerAccount",
  path: "/api/auth/register",
  summary: "Create an account",
  description:
    "An address that already has an account gets the same answer (201, a fresh id), and its owner gets a mail " +
    "saying so instead: registration does not tell anyone which addresses have accounts. A new account gets a " +
    "mail with a link to confirm the address; it can sign in before that.",
  tags: ["auth"],
  request: { body: { required: true, content: json(registerBody) } },
  responses: {
    201: { description: "Taken in: the account was created, or its owner was told", content: json(userResponse) },
    400: problem("Invalid input, or a password that is too short, too long or too common"),
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
  const db = c.var.database().db;
  const localeHint = localeHintFrom(c.req.header("accept-language"));
  // The answer is built the same way whichever path is taken; only the mail differs.
  const answer = (id: string, createdAt: Date) =>
    c.json({ id, email, name: body.name, roles: ["learner" as const], createdAt: createdAt.toISOString() }, 201);
  try {
    const { account, verification } = await registerAccount(
      db,
      {
        id: uuidv7(),
        email,
        password: body.password,
        name: body.name,
        verifyLifetimeSeconds: tokenLifetimeSeconds(c.env, "verify_email"),
      },
      { correlationId: c.var.correlationId },
    );
    authMetrics.count(c.env, "auth_registrations_total", {});
    c.executionCtx.waitUntil(
      sendAccountMail(
        c.env,
        {
          userId: account.id,
          to: account.email,
          localeHint,
          mail: {
            template: "verify-email",
            data: {
              verifyUrl: verifyEmailLink(c.env, verification.token),
              expiresAt: verification.expiresAt.toISOString(),
            },
          },
        },
        c.var.correlationId,
      ),
    );
    return answer(account.id, account.createdAt);
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    // The address has an account: its owner hears of the attempt, the caller sees a registration.
    // The password was hashed all the same (registerAccount does it first), so the time is alike too.
    const owner = await findAccountByEmail(db, email);
    if (owner) {
      c.executionCtx.waitUntil(
        sendAccountMail(
          c.env,
          {
            userId: owner.id,
            to: owner.email,
            localeHint,
            mail: {
              template: "account-exists",
              data: { signInUrl: signInLink(c.env), resetUrl: requestResetLink(c.env) },
            },
          },
          c.var.correlationId,
        ),
      );
    }
    return answer(uuidv7(), new Date());
  }
});
