import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { resetPassword } from "../account-changes.ts";
import { resetPasswordLink, tokenLifetimeSeconds } from "../account-links.ts";
import { localeHintFrom, sendAccountMail } from "../account-mail.ts";
import { issueAccountToken } from "../account-tokens.ts";
import { findAccountByEmail, normaliseEmail } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { hashPassword } from "../password.ts";
import { checkPassword } from "../password-policy.ts";
import { invalidLink } from "./invalid-link.ts";
import { sessionStore } from "./sessions.ts";
import { acceptedResponse, passwordResetBody, passwordResetConfirmBody, passwordResetDoneResponse } from "./schemas.ts";

const request = defineRoute(publicAccess("someone who forgot their password cannot sign in"), {
  method: "post",
  operationId: "requestPasswordReset",
  path: "/api/auth/password-reset",
  summary: "Ask for a password reset link by mail",
  description:
    "Always the same answer, whether or not the address has an account: the link goes only to an active " +
    "account's address. A new link replaces the earlier ones. Limited per client at the gateway.",
  tags: ["auth"],
  request: { body: { required: true, content: json(passwordResetBody) } },
  responses: {
    202: { description: "Taken in", content: json(acceptedResponse) },
    400: problem("Not an email address"),
  },
});

const confirm = defineRoute(publicAccess("the token from the mailed link is the credential"), {
  method: "post",
  operationId: "confirmPasswordReset",
  path: "/api/auth/password-reset/confirm",
  summary: "Set a new password with the token of the mailed link; every session ends",
  tags: ["auth"],
  request: { body: { required: true, content: json(passwordResetConfirmBody) } },
  responses: {
    200: { description: "The password is changed and every session is over", content: json(passwordResetDoneResponse) },
    400: problem(
      "The link is invalid, expired or already used (one answer for all), or the password cannot be used; nothing changed",
    ),
  },
});

const refusedPassword = (reason: string) =>
  new ProblemError("validation-failed", {
    detail: "The password cannot be used.",
    errors: [{ path: "json.password", message: reason }],
  });

export const passwordResetRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(request, async (c) => {
    const email = normaliseEmail(c.req.valid("json").email);
    const db = c.var.database().db;
    const account = await findAccountByEmail(db, email);
    if (account?.status === "active") {
      const issued = await db.transaction((tx) =>
        issueAccountToken(tx, {
          userId: account.id,
          purpose: "reset_password",
          lifetimeSeconds: tokenLifetimeSeconds(c.env, "reset_password"),
        }),
      );
      c.executionCtx.waitUntil(
        sendAccountMail(
          c.env,
          {
            userId: account.id,
            to: account.email,
            localeHint: localeHintFrom(c.req.header("accept-language")),
            mail: {
              template: "password-reset",
              data: { resetUrl: resetPasswordLink(c.env, issued.token), expiresAt: issued.expiresAt.toISOString() },
            },
          },
          c.var.correlationId,
        ),
      );
    }
    return c.json({ accepted: true as const }, 202);
  })
  .openapi(confirm, async (c) => {
    const { token, password } = c.req.valid("json");
    // The rules that need no account first, so a weak password does not spend the link…
    const general = checkPassword(password);
    if (!general.ok) throw refusedPassword(general.reason);
    const passwordHash = await hashPassword(password);
    // …and the one that needs its address inside the transaction, which rolls back if it refuses.
    const outcome = await resetPassword(c.var.database().db, token, passwordHash, (email) => {
      const verdict = checkPassword(password, { email });
      return verdict.ok ? undefined : verdict.reason;
    });
    if (!outcome.reset) {
      if (outcome.reason === "password-refused") throw refusedPassword(outcome.message);
      throw invalidLink();
    }
    // Whoever knew the old password (the reason for a reset, often) is signed out everywhere, at once.
    await sessionStore(c, outcome.userId).revokeAll("password-reset");
    c.executionCtx.waitUntil(
      sendAccountMail(
        c.env,
        {
          userId: outcome.userId,
          to: outcome.email,
          mail: { template: "password-changed", data: { changedAt: new Date().toISOString() } },
        },
        c.var.correlationId,
      ),
    );
    return c.json({ passwordChanged: true as const, sessionsEnded: true as const }, 200);
  });
