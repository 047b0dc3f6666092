import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess, signedIn } from "@platform/service-kit";
import { changeEmailAddress } from "../account-changes.ts";
import { confirmEmailLink, tokenLifetimeSeconds } from "../account-links.ts";
import { localeHintFrom, sendAccountMail } from "../account-mail.ts";
import { issueAccountToken } from "../account-tokens.ts";
import { findAccountByEmail, findAccountById } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { invalidLink } from "./invalid-link.ts";
import { WRONG_CURRENT_PASSWORD } from "./password-change.ts";
import { acceptedResponse, accountTokenBody, emailChangeBody, emailChangedResponse } from "./schemas.ts";
import { throttledCredentialCheck } from "./throttled-credentials.ts";

const request = defineRoute(signedIn, {
  method: "post",
  operationId: "requestEmailChange",
  path: "/api/auth/email",
  summary: "Change the account's address: a link to confirm it is mailed to the new address",
  description:
    "Nothing changes until the link is followed. An address that already has an account gets the same answer " +
    "and no mail. Wrong current passwords count against the sign-in throttle.",
  tags: ["auth"],
  request: { body: { required: true, content: json(emailChangeBody) } },
  responses: {
    202: { description: "Taken in", content: json(acceptedResponse) },
    400: problem("Invalid input, or the address is already the account's"),
    403: problem("The current password is not correct"),
    429: problem("Too many wrong passwords; see Retry-After"),
  },
});

const confirm = defineRoute(publicAccess("the token from the link mailed to the new address is the credential"), {
  method: "post",
  operationId: "confirmEmailChange",
  path: "/api/auth/email/confirm",
  summary: "Make the change with the token of the link mailed to the new address",
  tags: ["auth"],
  request: { body: { required: true, content: json(accountTokenBody) } },
  responses: {
    200: { description: "The address is changed (and confirmed); sessions go on", content: json(emailChangedResponse) },
    400: problem("The link is invalid, expired or already used (one answer for all); nothing changed"),
    409: problem("Another account has taken the address since the link was sent; nothing changed"),
  },
});

/** Shown in the notice to the old address: enough to recognise it, not enough to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, Math.min(1, at))}•••${email.slice(at)}`;
}

export const emailChangeRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(request, async (c) => {
    const { userId } = requirePrincipal(c);
    const { newEmail, currentPassword } = c.req.valid("json");
    const db = c.var.database().db;
    const account = await findAccountById(db, userId);
    if (!account || account.status !== "active") {
      throw new ProblemError("forbidden", { detail: "This account cannot change its address." });
    }
    if (!(await throttledCredentialCheck(c, account.email, currentPassword))) {
      throw new ProblemError("forbidden", {
        detail: WRONG_CURRENT_PASSWORD,
        errors: [{ path: "json.currentPassword", message: WRONG_CURRENT_PASSWORD }],
      });
    }
    if (newEmail === account.email) {
      throw new ProblemError("validation-failed", {
        detail: "That is already the account's address.",
        errors: [{ path: "json.newEmail", message: "That is already the account's address." }],
      });
    }
    // Someone else's address: the same answer and no mail, so this cannot be used to find accounts.
    if (!(await findAccountByEmail(db, newEmail))) {
      const issued = await db.transaction((tx) =>
        issueAccountToken(tx, {
          userId,
          purpose: "change_email",
          newEmail,
          lifetimeSeconds: tokenLifetimeSeconds(c.env, "change_email"),
        }),
      );
      c.executionCtx.waitUntil(
        sendAccountMail(
          c.env,
          {
            userId,
            to: newEmail,
            localeHint: localeHintFrom(c.req.header("accept-language")),
            mail: {
              template: "email-change-verify",
              data: { verifyUrl: confirmEmailLink(c.env, issued.token), expiresAt: issued.expiresAt.toISOString() },
            },
          },
          c.var.correlationId,
        ),
      );
    }
    return c.json({ accepted: true as const }, 202);
  })
  .openapi(confirm, async (c) => {
    const outcome = await changeEmailAddress(c.var.database().db, c.req.valid("json").token);
    if (!outcome.changed) {
      if (outcome.reason === "email-taken") {
        throw new ProblemError("conflict", { detail: "Another account has this address now." });
      }
      throw invalidLink();
    }
    // The old address hears of it: if the change was not its owner's doing, they know at once.
    c.executionCtx.waitUntil(
      sendAccountMail(
        c.env,
        {
          userId: outcome.userId,
          to: outcome.oldEmail,
          mail: {
            template: "email-changed",
            data: { newEmail: maskEmail(outcome.newEmail), changedAt: new Date().toISOString() },
          },
        },
        c.var.correlationId,
      ),
    );
    return c.json({ email: outcome.newEmail, emailVerified: true as const }, 200);
  });
