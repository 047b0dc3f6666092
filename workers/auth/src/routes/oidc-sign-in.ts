import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { rolesAt } from "@platform/contracts";
import { ProblemError, logLine } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { issueAccessToken } from "../access-tokens.ts";
import { findAccountById } from "../accounts.ts";
import { tokenSettings, type AuthEnv } from "../env.ts";
import { linkExternalSubject } from "../external-identities.ts";
import { authorizationUrl, completeSignIn, type SignInProvider } from "../oidc-client.ts";
import { findSignInProvider, listSignInProviders } from "../providers.ts";
import { openState, sealState } from "../signed-state.ts";
import { tokenPair } from "./schemas.ts";

/**
 * "Sign in with <provider>": the authorization-code flow with PKCE. `start` remembers the
 * transaction (state, nonce, PKCE verifier, where to return) in a signed HttpOnly cookie and
 * sends the browser to the provider; `callback` checks it, redeems the code, validates the ID
 * token, links or creates the local account and issues our own tokens. Tokens are never put in
 * a URL: the site gets a one-time code (in the fragment) that it redeems once, within a minute.
 */
const COOKIE = "oidc_tx";
const STATE_LABEL = "oidc-sign-in";
const TRANSACTION_TTL_SECONDS = 10 * 60;

interface Transaction {
  slug: string;
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/) });

/** Only a path on our own site: `//evil.example` or `https://…` would make this an open redirect. */
const returnToSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, "A path on this site, starting with a single /.")
  .default("/");

async function providerBySlug(c: Context<AuthEnv>, slug: string): Promise<SignInProvider & { roleClaim: string }> {
  const row = await findSignInProvider(c.var.database().db, slug, c.env.OIDC_SECRETS_KEY);
  if (!row) throw new ProblemError("not-found", { detail: `No sign-in provider "${slug}".` });
  return row;
}

const redirectUriFor = (c: Context<AuthEnv>, slug: string) => `${c.env.JWT_ISSUER}/api/auth/oidc/${slug}/callback`;

function secureCookies(c: Context<AuthEnv>): boolean {
  return c.env.JWT_ISSUER.startsWith("https://");
}

/** The caller is not signed in yet: the signed state cookie, PKCE and the one-time code guard the flow. */
const signInFlow = publicAccess("external sign-in, before the caller has a session");

const listProviders = defineRoute(signInFlow, {
  method: "get",
  operationId: "listSignInProviders",
  path: "/api/auth/oidc/providers",
  summary: "The providers a person can sign in with",
  tags: ["auth"],
  responses: {
    200: {
      description: "Enabled providers",
      content: json(z.object({ items: z.array(z.object({ slug: z.string(), issuer: z.string() })) })),
    },
  },
});

const start = defineRoute(signInFlow, {
  method: "get",
  operationId: "startOidcSignIn",
  path: "/api/auth/oidc/{slug}/start",
  summary: "Start signing in with an external provider (redirects to it)",
  tags: ["auth"],
  request: { params: slugParam, query: z.object({ returnTo: returnToSchema }) },
  responses: {
    302: { description: "To the provider's authorization endpoint" },
    404: problem("No such provider"),
  },
});

const callback = defineRoute(signInFlow, {
  method: "get",
  operationId: "completeOidcSignIn",
  path: "/api/auth/oidc/{slug}/callback",
  summary: "Where the provider sends the browser back (redirects to the site)",
  tags: ["auth"],
  request: { params: slugParam },
  responses: { 303: { description: "To /signin/complete with a one-time code, or to /signin with an error" } },
});

const redeem = defineRoute(signInFlow, {
  method: "post",
  operationId: "redeemOidcSignInCode",
  path: "/api/auth/oidc/redeem",
  summary: "Exchange the one-time code from an external sign-in for a token pair",
  tags: ["auth"],
  request: {
    body: { required: true, content: json(z.object({ code: z.string().min(1).max(300) })) },
  },
  responses: {
    200: { description: "Signed in", content: json(tokenPair) },
    400: problem("Unknown, used or expired code"),
  },
});

const HANDOFF = /^ho1\.([0-9a-f-]{36})\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/;

export const oidcSignInRoutes = new OpenAPIHono<AuthEnv>()
  .openapi(listProviders, async (c) => {
    return c.json({ items: await listSignInProviders(c.var.database().db) }, 200);
  })
  .openapi(start, async (c) => {
    const { slug } = c.req.valid("param");
    const { returnTo } = c.req.valid("query");
    const provider = await providerBySlug(c, slug);
    const request = await authorizationUrl(provider, redirectUriFor(c, slug));
    const transaction: Transaction = {
      slug,
      state: request.state,
      nonce: request.nonce,
      verifier: request.verifier,
      returnTo,
    };
    setCookie(c, COOKIE, await sealState(c.env.JWT_PRIVATE_KEYS, STATE_LABEL, transaction, TRANSACTION_TTL_SECONDS), {
      httpOnly: true,
      secure: secureCookies(c),
      sameSite: "Lax",
      path: "/api/auth/oidc/",
      maxAge: TRANSACTION_TTL_SECONDS,
    });
    c.header("cache-control", "no-store");
    return c.redirect(request.url.toString(), 302);
  })
  .openapi(callback, async (c) => {
    const { slug } = c.req.valid("param");
    const sealed = getCookie(c, COOKIE);
    deleteCookie(c, COOKIE, { path: "/api/auth/oidc/", secure: secureCookies(c) });
    c.header("cache-control", "no-store");
    const failed = (reason: string) => {
      logLine("warn", "auth", "external sign-in failed", { slug, reason, correlationId: c.var.correlationId });
      return c.redirect(`/signin?error=${encodeURIComponent("sign-in-failed")}`, 303);
    };
    const transaction = sealed ? await openState<Transaction>(c.env.JWT_PRIVATE_KEYS, STATE_LABEL, sealed) : undefined;
    if (!transaction || transaction.slug !== slug) return failed("missing, forged or expired transaction cookie");

    let claims: Awaited<ReturnType<typeof completeSignIn>>;
    const provider = await providerBySlug(c, slug);
    try {
      claims = await completeSignIn(provider, new URL(c.req.url), redirectUriFor(c, slug), transaction);
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
    const linked = await linkExternalSubject(
      c.var.database().db,
      {
        issuer: provider.issuer,
        subject: claims.sub,
        // Only a verified address may become the account's email (see linkExternalSubject).
        ...(claims.email_verified === true && typeof claims.email === "string" && { email: claims.email }),
        ...(typeof claims.name === "string" && { name: claims.name }),
        externalRoles: rolesAt(claims, provider.roleClaim),
      },
      { correlationId: c.var.correlationId },
    );
    const account = typeof linked === "string" ? undefined : await findAccountById(c.var.database().db, linked.userId);
    if (typeof linked === "string" || !account || account.status !== "active") return failed("account unavailable");

    const store = c.env.SESSIONS.get(c.env.SESSIONS.idFromName(account.id));
    const session = await store.open(account.id);
    const access = await issueAccessToken(tokenSettings(c.env), {
      userId: account.id,
      roles: account.roles,
      epoch: session.epoch,
      sessionId: session.familyId,
    });
    const pair = {
      accessToken: access.token,
      refreshToken: session.token,
      tokenType: "Bearer",
      expiresIn: access.expiresIn,
    };
    const code = await store.createHandoff(account.id, JSON.stringify(pair));
    const next = `/signin/complete?returnTo=${encodeURIComponent(transaction.returnTo)}#code=${encodeURIComponent(code)}`;
    return c.redirect(next, 303);
  })
  .openapi(redeem, async (c) => {
    const { code } = c.req.valid("json");
    const userId = HANDOFF.exec(code)?.[1];
    const invalid = new ProblemError("bad-request", { detail: "This sign-in code is unknown, used or expired." });
    if (!userId) throw invalid;
    const payload = await c.env.SESSIONS.get(c.env.SESSIONS.idFromName(userId)).redeemHandoff(code);
    if (!payload) throw invalid;
    c.header("cache-control", "no-store");
    return c.json(JSON.parse(payload) as z.infer<typeof tokenPair>, 200);
  });
