import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../test/support/api.ts";
import { useBrowser } from "../../test/support/browser.ts";

/**
 * "Sign in with <school>" in the browser: the sign-in page lists the provider, the provider's own
 * login and consent screens (`oidc-provider` on loopback, standing in for KeyCloak), the way back
 * through `/signin/complete`, whose script posts the one-time code to the site — and the visitor
 * lands where they were going, signed in with the site's HttpOnly cookies, no token in the page.
 */
const browser = useBrowser();
const db = new pg.Client({ connectionString: inject("databaseUrl") });
const slug = `site-sso-${Date.now()}`;
const callbackUrl = `${gatewayUrl}/api/auth/oidc/${slug}/callback`;
const login = `grace-${Date.now()}`;
let server: Server;

beforeAll(async () => {
  await db.connect();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "sso", alg: "RS256", use: "sig" }] },
    clients: [
      {
        client_id: "edge-learning-site",
        client_secret: "site-secret",
        redirect_uris: [callbackUrl],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@school.example`, email_verified: true, name: "Grace From School" }),
    }),
    conformIdTokenClaims: false,
  });
  server.on("request", provider.callback());

  const admin = await registerAndLogin("site-sso-admin");
  await db.query("update auth.accounts set roles = '{admin}' where id = $1", [admin.userId]);
  const signedIn = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: admin.email, password: GOOD_PASSWORD },
  });
  const created = await api("POST", "/api/auth/providers", {
    token: signedIn.body.accessToken,
    body: { slug, issuer, clientId: "edge-learning-site", clientSecret: "site-secret", audience: "edge-learning-site" },
  });
  if (created.status !== 201) throw new Error(`configuring the provider answered ${created.status}`);
});

afterAll(async () => {
  server?.close();
  await db.end();
});

describe("signing in with a school's provider from the site", () => {
  it("goes through the provider's screens and comes back signed in with cookies, the code gone from the address", async () => {
    const { page, context } = await browser.newPage();
    await page.goto(`${gatewayUrl}/signin?returnTo=${encodeURIComponent("/courses")}`);
    await page.getByRole("link", { name: `Sign in with ${slug}` }).click();

    // oidc-provider's development screens: a login form, then consent.
    await page.locator("input[name=login]").fill(login);
    await page.locator("input[name=password]").fill("anything");
    await page.locator("button[type=submit]").click();
    await page.locator("button[type=submit]").click();

    await page.waitForURL(`${gatewayUrl}/courses`);
    // The profile (and its name) is made from USER_CREATED a moment after the first sign-in: until
    // then the header names the account by its address.
    expect(await page.locator("[data-signed-in-as]").textContent()).toMatch(
      new RegExp(`^(Grace From School|${login}@school\\.example)$`),
    );
    const cookies = await context.cookies(gatewayUrl);
    expect(cookies.find((cookie) => cookie.name === "__Host-el_refresh")).toMatchObject({ httpOnly: true });
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).toBe("{}");

    // The one-time code never stays in the address bar (nor in a Referer from this page on).
    expect(page.url()).not.toContain("code=");
  });

  it("a code that was already spent (or forged) ends on a readable error, signed out", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/signin/complete?returnTo=%2Fcourses#code=not-a-code-we-gave`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Signing in did not work");
    expect(await page.locator("[data-signed-in-as]").count()).toBe(0);
    expect(page.url()).not.toContain("not-a-code");
  });
});
