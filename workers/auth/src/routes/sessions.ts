import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { authMetrics } from "../metrics.ts";
import { defineRoute, json, problem, publicAccess, signedIn } from "@platform/service-kit";
import { issueAccessToken } from "../access-tokens.ts";
import { findAccountById, normaliseEmail, type Account } from "../accounts.ts";
import { refreshGraceMs, tokenSettings, type AuthEnv } from "../env.ts";
import { parseRefreshToken, rotationKey, successorOf } from "../refresh-token-format.ts";
import { loginBody, refreshBody, tokenPair } from "./schemas.ts";
import { throttledCredentialCheck } from "./throttled-credentials.ts";

const INVALID_CREDENTIALS = "The email or password is incorrect.";

export async function issuePair(c: Context<AuthEnv>, account: Account, session: { token: string; epoch: number }) {
  // The refresh token names its family: the access token carries it as `sid`, so logging that
  // one session out voids this access token at the gateway too.
  const sessionId = parseRefreshToken(session.token)?.familyId;
  if (!sessionId) throw new Error("a session's refresh token does not name its family");
  const access = await issueAccessToken(tokenSettings(c.env), {
    userId: account.id,
    roles: account.roles,
    epoch: session.epoch,
    sessionId,
  });
  const refreshToken = session.token;
  c.header("cache-control", "no-store");
  return { accessToken: access.token, refreshToken, tokenType: "Bearer" as const, expiresIn: access.expiresIn };
}

export const sessionStore = (c: Context<AuthEnv>, userId: string) =>
  c.env.SESSIONS.get(c.env.SESSIONS.idFromName(userId));

const login = defineRoute(publicAccess("signing in: the caller has no session yet"), {
  method: "post",
  operationId: "signIn",
  path: "/api/auth/login",
  summary: "Sign in with email and password",
  tags: ["auth"],
  request: { body: { required: true, content: json(loginBody) } },
  responses: {
    200: { description: "Signed in", content: json(tokenPair) },
    401: problem("Unknown email or wrong password (indistinguishable)"),
    429: problem("Too many failed attempts; see Retry-After"),
  },
});

const refresh = defineRoute(publicAccess("the refresh token in the body is the credential"), {
  method: "post",
  operationId: "refreshTokens",
  path: "/api/auth/refresh",
  summary: "Exchange a refresh token for a new pair (the old refresh token stops working)",
  tags: ["auth"],
  request: { body: { required: true, content: json(refreshBody) } },
  responses: {
    200: { description: "A rotated pair", content: json(tokenPair) },
    401: problem("Invalid, expired, revoked or reused refresh token"),
  },
});

const logout = defineRoute(publicAccess("the refresh token in the body names the session to end"), {
  method: "post",
  operationId: "signOut",
  path: "/api/auth/logout",
  summary: "End the session the refresh token belongs to",
  tags: ["auth"],
  request: { body: { required: true, content: json(refreshBody) } },
  responses: { 204: { description: "The session is over (also when it already was)" } },
});

const logoutEverywhere = defineRoute(signedIn, {
  method: "post",
  operationId: "signOutEverywhere",
  path: "/api/auth/logout-all",
  summary: "End every session of the signed-in user",
  tags: ["auth"],
  responses: { 204: { description: "Every session is over" } },
});

export const sessionRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(login, async (c) => {
    const { password } = c.req.valid("json");
    const email = normaliseEmail(c.req.valid("json").email);
    const account = await throttledCredentialCheck(c, email, password).catch((error: unknown) => {
      // Throttled (429): the attempt was refused before the password was even checked.
      if (error instanceof ProblemError && error.code === "too-many-requests") {
        authMetrics.count(c.env, "auth_sign_ins_total", { outcome: "locked" });
      }
      throw error;
    });
    authMetrics.count(c.env, "auth_sign_ins_total", { outcome: account ? "succeeded" : "refused" });
    if (!account) throw new ProblemError("unauthorized", { detail: INVALID_CREDENTIALS });
    const session = await sessionStore(c, account.id).open(account.id);
    return c.json(await issuePair(c, account, session), 200);
  })
  .openapi(refresh, async (c) => {
    const { refreshToken } = c.req.valid("json");
    const parsed = parseRefreshToken(refreshToken);
    const rejected = () => new ProblemError("unauthorized", { detail: "The refresh token is not valid." });
    const successor = parsed && (await successorOf(refreshToken, await rotationKey(c.env.JWT_PRIVATE_KEYS)));
    if (!parsed || !successor) throw rejected();
    const store = sessionStore(c, parsed.userId);
    const rotated = await store.rotate(refreshToken, successor, { graceMs: refreshGraceMs(c.env) });
    if (!rotated.ok) {
      if (rotated.code === "reused") authMetrics.count(c.env, "auth_refresh_reuse_detected_total", {});
      throw rejected();
    }
    // Roles and status are read now, not copied from the old token: a disabled user cannot refresh.
    const account = await findAccountById(c.var.database().db, parsed.userId);
    if (!account || account.status !== "active") {
      await store.revokeAll("account-inactive");
      throw rejected();
    }
    return c.json(await issuePair(c, account, rotated.value), 200);
  })
  .openapi(logout, async (c) => {
    const { refreshToken } = c.req.valid("json");
    const parsed = parseRefreshToken(refreshToken);
    if (parsed) await sessionStore(c, parsed.userId).revokeByToken(refreshToken);
    return c.body(null, 204);
  })
  .openapi(logoutEverywhere, async (c) => {
    const principal = requirePrincipal(c);
    await sessionStore(c, principal.userId).revokeAll("logout-all");
    return c.body(null, 204);
  });
