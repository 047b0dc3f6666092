import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import { setPassword } from "../account-changes.ts";
import { sendAccountMail } from "../account-mail.ts";
import { findAccountById } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { hashPassword } from "../password.ts";
import { checkPassword } from "../password-policy.ts";
import { parseRefreshToken } from "../refresh-token-format.ts";
import { passwordChangeBody, passwordChangedResponse } from "./schemas.ts";
import { issuePair, sessionStore } from "./sessions.ts";
import { throttledCredentialCheck } from "./throttled-credentials.ts";

export const WRONG_CURRENT_PASSWORD = "The current password is not correct.";

const route = defineRoute(signedIn, {
  method: "post",
  operationId: "changePassword",
  path: "/api/auth/password",
  summary: "Change the password (the current one is needed); every other session ends",
  description:
    "Send the caller's refresh token to keep its session: the answer then carries a new access token for it " +
    "(every access token issued before stops working). Without it, or with one that is no longer live, every " +
    "session ends, the caller's too. Wrong current passwords count against the sign-in throttle.",
  tags: ["auth"],
  request: { body: { required: true, content: json(passwordChangeBody) } },
  responses: {
    200: { description: "The password is changed", content: json(passwordChangedResponse) },
    400: problem("Invalid input, or a new password that cannot be used"),
    403: problem("The current password is not correct"),
    429: problem("Too many wrong passwords; see Retry-After"),
  },
});

export const passwordChangeRoutes = new OpenAPIHono<AuthEnv>().openapi(route, async (c) => {
  const { userId } = requirePrincipal(c);
  const { currentPassword, newPassword, refreshToken } = c.req.valid("json");
  const db = c.var.database().db;
  const account = await findAccountById(db, userId);
  if (!account || account.status !== "active") {
    throw new ProblemError("forbidden", { detail: "This account cannot change its password." });
  }
  const verdict = checkPassword(newPassword, { email: account.email });
  if (!verdict.ok) {
    throw new ProblemError("validation-failed", {
      detail: "The new password cannot be used.",
      errors: [{ path: "json.newPassword", message: verdict.reason }],
    });
  }
  if (!(await throttledCredentialCheck(c, account.email, currentPassword))) {
    throw new ProblemError("forbidden", {
      detail: WRONG_CURRENT_PASSWORD,
      errors: [{ path: "json.currentPassword", message: WRONG_CURRENT_PASSWORD }],
    });
  }
  if (!(await setPassword(db, userId, await hashPassword(newPassword)))) {
    throw new ProblemError("forbidden", { detail: "This account cannot change its password." });
  }
  // Only the caller's own refresh token can keep a session: another user's names a family this store has not.
  const keep = refreshToken && parseRefreshToken(refreshToken)?.userId === userId ? refreshToken : undefined;
  const session = await sessionStore(c, userId).revokeAllExcept(keep, "password-changed");
  c.executionCtx.waitUntil(
    sendAccountMail(
      c.env,
      {
        userId,
        to: account.email,
        mail: { template: "password-changed", data: { changedAt: new Date().toISOString() } },
      },
      c.var.correlationId,
    ),
  );
  const tokens = session.kept && keep ? await issuePair(c, account, { token: keep, epoch: session.epoch }) : null;
  return c.json({ sessionKept: tokens !== null, tokens }, 200);
});
