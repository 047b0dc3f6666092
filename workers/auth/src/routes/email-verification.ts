import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess, signedIn } from "@platform/service-kit";
import { confirmEmailAddress } from "../account-changes.ts";
import { tokenLifetimeSeconds, verifyEmailLink } from "../account-links.ts";
import { localeHintFrom, sendAccountMail } from "../account-mail.ts";
import { issueAccountToken } from "../account-tokens.ts";
import { findAccountById } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { invalidLink } from "./invalid-link.ts";
import { acceptedResponse, accountTokenBody, emailVerifiedResponse } from "./schemas.ts";

const verify = defineRoute(publicAccess("the token from the mailed link is the credential"), {
  method: "post",
  operationId: "verifyEmail",
  path: "/api/auth/verify-email",
  summary: "Confirm the account's address with the token of the mailed link",
  tags: ["auth"],
  request: { body: { required: true, content: json(accountTokenBody) } },
  responses: {
    200: { description: "The address is confirmed", content: json(emailVerifiedResponse) },
    400: problem("The link is invalid, expired or already used (one answer for all); nothing changed"),
  },
});

const resend = defineRoute(signedIn, {
  method: "post",
  operationId: "resendVerificationEmail",
  path: "/api/auth/verify-email/resend",
  summary: "Mail a new verification link (the earlier ones stop working)",
  tags: ["auth"],
  responses: {
    202: {
      description: "A new link is on its way, unless the address is already confirmed",
      content: json(acceptedResponse),
    },
    404: problem("The account is gone or disabled"),
  },
});

export const emailVerificationRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(verify, async (c) => {
    const confirmed = await confirmEmailAddress(c.var.database().db, c.req.valid("json").token);
    if (!confirmed) throw invalidLink();
    return c.json({ emailVerified: true as const }, 200);
  })
  .openapi(resend, async (c) => {
    const { userId } = requirePrincipal(c);
    const db = c.var.database().db;
    const account = await findAccountById(db, userId);
    if (!account || account.status !== "active") {
      throw new ProblemError("not-found", { detail: "There is no active account to verify." });
    }
    if (!account.emailVerified) {
      const issued = await db.transaction((tx) =>
        issueAccountToken(tx, {
          userId,
          purpose: "verify_email",
          lifetimeSeconds: tokenLifetimeSeconds(c.env, "verify_email"),
        }),
      );
      c.executionCtx.waitUntil(
        sendAccountMail(
          c.env,
          {
            userId,
            to: account.email,
            localeHint: localeHintFrom(c.req.header("accept-language")),
            mail: {
              template: "verify-email",
              data: { verifyUrl: verifyEmailLink(c.env, issued.token), expiresAt: issued.expiresAt.toISOString() },
            },
          },
          c.var.correlationId,
        ),
      );
    }
    return c.json({ accepted: true as const }, 202);
  });
