import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";

/**
 * "Sign in with <school>": the authorization-code flow with PKCE, end to end, against
 * `oidc-provider` on loopback (standing in for KeyCloak) with its development login screens,
 * driven over HTTP the way a browser would: redirects followed by hand, cookies kept per site.
 */
const db = new pg.Client({ connectionString: inject("databaseUrl") });
const slug = `school-sso-${Date.now()}`;
const callbackUrl = `${gatewayUrl}/api/auth/oidc/${slug}/callback`;
const person = { login: `alice-${Date.now()}`, email: `alice-${Date.now()}@school.example` };

let server: Server;
let issuer: string;

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (pair && index > 0) this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...init.headers, cookie: jar.header() },
  });
  jar.take(response);
  return response;
}

const location = (response: Response, base: string) => new URL(response.headers.get("location") ?? "", base).toString();

/** Follows the provider's login and consent screens until it redirects back to our callback. */
async function signInAtProvider(jar: CookieJar, authorizeUrl: string): Promise<string> {
  let url = authorizeUrl;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(callbackUrl)) return url;
    const response = await go(jar, url);
    if (response.status >= 300 && response.status < 400) {
      url = location(response, url);
      continue;
    }
    const html = await response.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page at ${url}: ${response.status}`);
    const form: Record<string, string> = html.includes('value="login"')
      ? { prompt: "login", login: person.login, password: "any" }
      : { prompt: "consent" };
    const submitted = await go(jar, new URL(action, url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    url = location(submitted, url);
  }
  throw new Error("the provider never redirected back");
}

let storedAtCreation: string | undefined;

beforeAll(async () => {
  await db.connect();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "realm_access"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: person.email,
        email_verified: true,
        name: "Alice Example",
        realm_access: { roles: ["teacher"] },
      }),
    }),
    conformIdTokenClaims: false,
  });
  server.on("request", provider.callback());

  const admin = await registerAndLogin("sso-admin");
  await db.query("update auth.accounts set roles = '{admin}' where id = $1", [admin.userId]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: admin.email, password: GOOD_PASSWORD },
  });
  const created = await api("POST", "/api/auth/providers", {
    token: login.body.accessToken,
    body: {
      slug,
      issuer,
      clientId: "edge-learning-site",
      clientSecret: "site-secret",
      audience: "edge-learning-site",
      roleMap: { teacher: "instructor" },
    },
  });
  if (created.status !== 201) throw new Error(`configuring the provider answered ${created.status}`);
  // Read before any sign-in, which would seal a plain-text secret in passing.
  storedAtCreation = (
    await db.query<{ client_secret: string }>("select client_secret from auth.oidc_providers where slug = $1", [slug])
  ).rows[0]?.client_secret;
});

afterAll(async () => {
  server?.close();
  await db.end();
});

describe("signing in with an external provider (authorization code + PKCE)", () => {
  it("lists the provider for the site's sign-in page", async () => {
    const listed = await api<{ items: { slug: string }[] }>("GET", "/api/auth/oidc/providers");
    expect(listed.body.items.map((item) => item.slug)).toContain(slug);
  });

  it("creates the local account, maps roles, hands the site a one-time code, and the tokens work", async () => {
    const ours = new CookieJar();
    const theirs = new CookieJar();
    const start = await go(ours, `${gatewayUrl}/api/auth/oidc/${slug}/start?returnTo=/courses`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location") ?? "");
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(start.headers.getSetCookie().join()).toMatch(/oidc_tx=.*HttpOnly/i);

    const back = await signInAtProvider(theirs, authorize.toString());
    const callback = await go(ours, back);
    expect(callback.status).toBe(303);
    const next = new URL(callback.headers.get("location") ?? "", gatewayUrl);
    expect(next.pathname).toBe("/signin/complete");
    expect(next.searchParams.get("returnTo")).toBe("/courses");
    const code = new URLSearchParams(next.hash.slice(1)).get("code") ?? "";
    expect(next.search).not.toContain(code);

    const redeemed = await api<TokenPair>("POST", "/api/auth/oidc/redeem", { body: { code } });
    expect(redeemed.status).toBe(200);
    expect((await api("POST", "/api/auth/oidc/redeem", { body: { code } })).status).toBe(400);
    expect((await api("POST", "/api/auth/logout-all", { token: redeemed.body.accessToken })).status).toBe(204);

    const { rows } = await db.query<{ email: string; roles: string }>(
      `select a.email, a.roles::text as roles from auth.accounts a
         join auth.external_identities i on i.user_id = a.id where i.subject = $1`,
      [person.login],
    );
    expect(rows).toEqual([{ email: person.email, roles: "{instructor}" }]);
  });

  it("keeps the client secret encrypted in the database; a secret stored in plain text before still signs in, and is sealed then", async () => {
    const storedSecret = async () =>
      (
        await db.query<{ client_secret: string }>("select client_secret from auth.oidc_providers where slug = $1", [
          slug,
        ])
      ).rows[0]?.client_secret ?? "";
    const signsIn = async () => {
      const ours = new CookieJar();
      const start = await go(ours, `${gatewayUrl}/api/auth/oidc/${slug}/start`);
      const back = await signInAtProvider(new CookieJar(), start.headers.get("location") ?? "");
      const callback = await go(ours, back);
      const code = new URLSearchParams(new URL(callback.headers.get("location") ?? "", gatewayUrl).hash.slice(1)).get(
        "code",
      );
      return (await api("POST", "/api/auth/oidc/redeem", { body: { code } })).status;
    };

    expect(storedAtCreation).toMatch(/^v2:/);
    expect(storedAtCreation).not.toContain("site-secret");
    const sealed = await storedSecret();
    expect(sealed).toMatch(/^v2:/);
    expect(sealed).not.toContain("site-secret");
    // The provider checks the secret (client_secret_basic): a sign-in proves it was opened again.
    expect(await signsIn()).toBe(200);

    // A row from before encryption: read as it is, and sealed on its first use.
    await db.query("update auth.oidc_providers set client_secret = 'site-secret' where slug = $1", [slug]);
    expect(await signsIn()).toBe(200);
    const resealed = await storedSecret();
    expect(resealed).toMatch(/^v2:/);
    expect(resealed).not.toBe(sealed);
    expect(await signsIn()).toBe(200);
  });

  it("sends the browser back to the sign-in page when the transaction cookie is missing or forged", async () => {
    const missing = await go(new CookieJar(), `${callbackUrl}?code=x&state=y`);
    expect(missing.status).toBe(303);
    expect(missing.headers.get("location")).toBe("/signin?error=sign-in-failed");

    const jar = new CookieJar();
    const start = await go(jar, `${gatewayUrl}/api/auth/oidc/${slug}/start`);
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state");
    const tampered = await fetch(`${callbackUrl}?code=x&state=${state}`, {
      redirect: "manual",
      headers: { cookie: `${jar.header()}x` },
    });
    expect(tampered.headers.get("location")).toBe("/signin?error=sign-in-failed");
  });

  it("refuses a state that does not match the transaction (CSRF)", async () => {
    const jar = new CookieJar();
    await go(jar, `${gatewayUrl}/api/auth/oidc/${slug}/start`);
    const response = await go(jar, `${callbackUrl}?code=x&state=attacker-chosen&iss=${encodeURIComponent(issuer)}`);
    expect(response.headers.get("location")).toBe("/signin?error=sign-in-failed");
  });

  it.each(["//evil.example/steal", "https://evil.example/", "/\\evil.example"])(
    "refuses to return anywhere but this site (%s)",
    async (returnTo) => {
      const response = await fetch(
        `${gatewayUrl}/api/auth/oidc/${slug}/start?returnTo=${encodeURIComponent(returnTo)}`,
        {
          redirect: "manual",
        },
      );
      expect(response.status).toBe(400);
    },
  );

  it("answers an unknown provider with 404", async () => {
    const response = await fetch(`${gatewayUrl}/api/auth/oidc/nobody/start`, { redirect: "manual" });
    expect(response.status).toBe(404);
  });
});
