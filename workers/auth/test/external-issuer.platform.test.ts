import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { msUntilRefused } from "../../../test/support/token-refusal.ts";

/**
 * KeyCloak's place in the seed, played by `oidc-provider` (a certified OpenID provider) running
 * in the test on loopback. It issues RS256 JWT access tokens for a resource, with KeyCloak-style
 * roles in `realm_access.roles`. The platform must accept them only for an issuer an admin
 * configured, only for the configured audience, and map the roles.
 */
const API_RESOURCE = "urn:edge-learning:api";
const OTHER_RESOURCE = "urn:someone-else:api";
const AUDIENCE = "edge-learning-external";

const db = new pg.Client({ connectionString: inject("databaseUrl") });

interface RunningProvider {
  issuer: string;
  server: Server;
}

async function startProvider(): Promise<RunningProvider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "school-rs256", alg: "RS256", use: "sig" };
  // The issuer must be known before listening; reserve a port by listening first, then attach.
  const { createServer } = await import("node:http");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    clients: [
      {
        client_id: "school-integration",
        client_secret: "school-integration-secret",
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
      },
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: "api",
          audience: resource === API_RESOURCE ? AUDIENCE : "someone-else",
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    ttl: { ClientCredentials: 600 },
    extraTokenClaims: () => ({ realm_access: { roles: ["teacher", "offline_access"] } }),
  });
  server.on("request", provider.callback());
  return { issuer, server };
}

async function clientCredentialsToken(issuer: string, resource: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa("school-integration:school-integration-secret")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "api", resource }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token)
    throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

let school: RunningProvider;
let stranger: RunningProvider;
let adminToken: string;
let providerId: string;

beforeAll(async () => {
  await db.connect();
  [school, stranger] = await Promise.all([startProvider(), startProvider()]);
  const admin = await registerAndLogin("provider-admin");
  await db.query("update auth.accounts set roles = '{admin}' where id = $1", [admin.userId]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: admin.email, password: GOOD_PASSWORD },
  });
  adminToken = login.body.accessToken;
  const created = await api<{ id: string }>("POST", "/api/auth/providers", {
    token: adminToken,
    body: {
      slug: `school-${Date.now()}`,
      issuer: school.issuer,
      clientId: "school-integration",
      audience: AUDIENCE,
      roleMap: { teacher: "instructor" },
    },
  });
  if (created.status !== 201) throw new Error(`configuring the provider answered ${created.status}`);
  providerId = created.body.id;
});

afterAll(async () => {
  for (const provider of [school, stranger]) provider?.server.close();
  await db.end();
});

describe("configuring external providers", () => {
  it("is for admins only: anonymous 401, a learner 403", async () => {
    const learner = await registerAndLogin("provider-learner");
    const body = { slug: "nope", issuer: "https://id.example.org", clientId: "x", audience: "y" };
    expect((await api("POST", "/api/auth/providers", { body })).status).toBe(401);
    expect((await api("POST", "/api/auth/providers", { body, token: learner.tokens.accessToken })).status).toBe(403);
  });

  it("refuses plain-http issuers that are not loopback, and a second provider with the same issuer", async () => {
    const insecure = await api<{ errors: { path: string }[] }>("POST", "/api/auth/providers", {
      token: adminToken,
      body: { slug: "insecure", issuer: "http://id.example.org", clientId: "x", audience: "y" },
    });
    expect(insecure.status).toBe(400);
    expect(insecure.body.errors[0]?.path).toBe("json.issuer");
    const again = await api("POST", "/api/auth/providers", {
      token: adminToken,
      body: { slug: `again-${Date.now()}`, issuer: school.issuer, clientId: "x", audience: "y" },
    });
    expect(again.status).toBe(409);
  });

  it("lists providers without ever returning a client secret", async () => {
    const listed = await api<{ items: Record<string, unknown>[] }>("GET", "/api/auth/providers", { token: adminToken });
    expect(listed.status).toBe(200);
    const ours = listed.body.items.find((item) => item.issuer === school.issuer);
    expect(ours).toMatchObject({
      clientId: "school-integration",
      audience: AUDIENCE,
      roleMap: { teacher: "instructor" },
    });
    expect(JSON.stringify(listed.body)).not.toContain('secret"');
  });
});

describe("access tokens from an external provider at the gateway", () => {
  it("are accepted from the configured issuer for its audience, linked to one local account, roles mapped", async () => {
    const token = await clientCredentialsToken(school.issuer, API_RESOURCE);
    expect((await api("POST", "/api/auth/logout-all", { token })).status).toBe(204);
    expect((await api("POST", "/api/auth/logout-all", { token })).status).toBe(204);
    // Mapped to instructor, not admin: the admin-only route refuses with 403 (authenticated, not allowed).
    expect((await api("GET", "/api/auth/providers", { token })).status).toBe(403);

    const { rows } = await db.query<{ user_id: string; roles: string }>(
      `select i.user_id, a.roles::text as roles
         from auth.external_identities i join auth.accounts a on a.id = i.user_id
         join auth.oidc_providers p on p.id = i.provider_id
        where p.issuer = $1 and i.subject = 'school-integration'`,
      [school.issuer],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.roles).toBe("{instructor}");
    const events = await db.query("select 1 from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'", [
      rows[0]?.user_id,
    ]);
    expect(events.rowCount).toBe(1);
  });

  it("are refused (401) when issued for another audience", async () => {
    const token = await clientCredentialsToken(school.issuer, OTHER_RESOURCE);
    const response = await api("POST", "/api/auth/logout-all", { token });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("are refused (401) from a real provider nobody configured", async () => {
    const token = await clientCredentialsToken(stranger.issuer, API_RESOURCE);
    expect((await api("POST", "/api/auth/logout-all", { token })).status).toBe(401);
  });

  it("are refused (401) when they claim the trusted issuer but are signed by another provider's key", async () => {
    const foreign = await clientCredentialsToken(stranger.issuer, API_RESOURCE);
    const [, payload] = foreign.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    const [header, , signature] = foreign.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: school.issuer, aud: AUDIENCE })).toString("base64url")}.${signature}`;
    expect((await api("POST", "/api/auth/logout-all", { token: forged })).status).toBe(401);
  });
});

describe("the local account behind an external subject is the authority", () => {
  const probe = (token: string) => api("GET", "/api/payments/me", { token });
  const linkedAccount = async () =>
    (
      await db.query<{ user_id: string }>(
        `select i.user_id from auth.external_identities i join auth.oidc_providers p on p.id = i.provider_id
          where p.issuer = $1 and i.subject = 'school-integration'`,
        [school.issuer],
      )
    ).rows[0]?.user_id ?? "";

  it("the roles an admin set win over the provider's claims", async () => {
    const token = await clientCredentialsToken(school.issuer, API_RESOURCE);
    expect((await probe(token)).status).toBe(200);
    const userId = await linkedAccount();
    const promote = await api("PUT", `/api/users/${userId}/roles`, { token: adminToken, body: { roles: ["admin"] } });
    expect(promote.status).toBe(200);
    expect((await api("GET", "/api/auth/providers", { token })).status).toBe(200);
    const demote = await api("PUT", `/api/users/${userId}/roles`, { token: adminToken, body: { roles: ["learner"] } });
    expect(demote.status).toBe(200);
    expect((await api("GET", "/api/auth/providers", { token })).status).toBe(403);
  });

  it("a disabled account's external token is refused; enabled again, it works", async () => {
    const token = await clientCredentialsToken(school.issuer, API_RESOURCE);
    const userId = await linkedAccount();
    const disable = await api("PUT", `/api/users/${userId}/status`, {
      token: adminToken,
      body: { status: "disabled" },
    });
    expect(disable.status).toBe(200);
    expect((await probe(token)).status).toBe(401);
    const enable = await api("PUT", `/api/users/${userId}/status`, { token: adminToken, body: { status: "active" } });
    expect(enable.status).toBe(200);
    expect((await probe(token)).status).toBe(200);
  });
});

describe("an admin stops trusting a provider", () => {
  const probe = (token: string) => api("GET", "/api/payments/me", { token });
  const delays: Record<string, number> = {};
  afterAll(() => console.log(`provider distrust delays (ms): ${JSON.stringify(delays)}`));

  async function refusedWithin5s(label: string, token: string): Promise<void> {
    delays[label] = await msUntilRefused(token, performance.now());
  }

  it("disabled, its tokens are refused within seconds; enabled again, accepted", async () => {
    const token = await clientCredentialsToken(school.issuer, API_RESOURCE);
    expect((await probe(token)).status).toBe(200);
    const off = await api("PATCH", `/api/auth/providers/${providerId}`, {
      token: adminToken,
      body: { enabled: false },
    });
    expect(off.status).toBe(200);
    await refusedWithin5s("disabled", token);
    const on = await api("PATCH", `/api/auth/providers/${providerId}`, { token: adminToken, body: { enabled: true } });
    expect(on.status).toBe(200);
    await expect.poll(async () => (await probe(token)).status, { timeout: 5_000, interval: 100 }).toBe(200);
  });

  it("removed, its tokens are refused within seconds, and it is gone from the list", async () => {
    const token = await clientCredentialsToken(school.issuer, API_RESOURCE);
    expect((await probe(token)).status).toBe(200);
    expect((await api("DELETE", `/api/auth/providers/${providerId}`, { token: adminToken })).status).toBe(204);
    await refusedWithin5s("removed", token);
    const listed = await api<{ items: { id: string }[] }>("GET", "/api/auth/providers", { token: adminToken });
    expect(listed.body.items.map((item) => item.id)).not.toContain(providerId);
  });
});
