import { SignJWT, importJWK, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { API_KEY_ID_CLAIM, type AuthRpc } from "@platform/contracts";
import { api, gatewayUrl, newClientAddress, registerAndLogin } from "../support/api.ts";
import { admin, type Person } from "../support/people.ts";
import { bindTo } from "../support/service-binding.ts";

/**
 * `AUTH.validateToken` (what internal callers ask over RPC) judges a client-credentials token as
 * the gateway does: by the API key its `key_id` names, looked up on every call, so revoking the key
 * (or disabling its admin) voids the token at once, while signing the admin out does not stop the
 * integration. Person tokens are judged by their sessions, as before.
 */

let connection: Awaited<ReturnType<typeof bindTo<AuthRpc>>> | undefined;
let auth: AuthRpc;

beforeAll(async () => {
  connection = await bindTo<AuthRpc>("platform-auth");
  auth = connection.binding;
});
afterAll(() => connection?.dispose());

const makeKey = async (owner: Person) => {
  const made = await api<{ id: string; key: string }>("POST", "/api/auth/api-keys", {
    token: owner.token,
    body: { name: "token validation", scopes: ["courses:read", "events:read"] },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body;
};

/** A client-credentials token for a key, from the token endpoint (client id `elk_<id>`, secret the rest). */
const tokenFor = async (key: string) => {
  const response = await fetch(`${gatewayUrl}/api/auth/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": newClientAddress() },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: key.slice(0, 36),
      client_secret: key.slice(37),
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
};

const atGateway = (token: string) =>
  api("GET", "/api/courses?limit=1", { headers: { authorization: `Bearer ${token}` } });

describe("AUTH.validateToken with a client-credentials token", () => {
  it("accepts a live key's token, for the key's admin, and refuses it once the key is revoked", async () => {
    const owner = await admin("key-token-revoked");
    const key = await makeKey(owner);
    const token = await tokenFor(key.key);

    expect(await auth.validateToken(token)).toMatchObject({ ok: true, value: { sub: owner.userId, roles: ["admin"] } });
    expect((await atGateway(token)).status).toBe(200);

    expect((await api("DELETE", `/api/auth/api-keys/${key.id}`, { token: owner.token })).status).toBe(200);
    expect(await auth.validateToken(token)).toEqual({ ok: false, code: "invalid_token" });
    // The same answer as the gateway's, on the same token.
    expect((await atGateway(token)).status).toBe(401);
  });

  it("refuses a key's token once its admin is disabled", async () => {
    const [owner, other] = await Promise.all([admin("key-token-owner"), admin("key-token-disabler")]);
    const token = await tokenFor((await makeKey(owner)).key);
    expect((await auth.validateToken(token)).ok).toBe(true);

    const disabled = await api("PUT", `/api/users/${owner.userId}/status`, {
      token: other.token,
      body: { status: "disabled" },
    });
    expect(disabled.status).toBe(200);
    expect(await auth.validateToken(token)).toEqual({ ok: false, code: "invalid_token" });
    expect((await atGateway(token)).status).toBe(401);
  });

  it("keeps a live key's token valid when its admin signs out everywhere, as the gateway does", async () => {
    const owner = await admin("key-token-logout");
    const token = await tokenFor((await makeKey(owner)).key);
    expect((await api("POST", "/api/auth/logout-all", { token: owner.token })).status).toBe(204);

    expect(await auth.validateToken(owner.token)).toEqual({ ok: false, code: "invalid_token" });
    expect((await auth.validateToken(token)).ok).toBe(true);
    expect((await atGateway(token)).status).toBe(200);
  });

  it("refuses a correctly signed token naming an unknown key, or a key_id that is not a key id", async () => {
    const [active] = JSON.parse(inject("signingKeys")) as [JWK & { kid: string }];
    const signingKey = (await importJWK(active, "EdDSA")) as CryptoKey;
    const now = Math.floor(Date.now() / 1000);
    const signed = (keyId: unknown) =>
      new SignJWT({ roles: ["admin"], client_id: "elk_made_up", scope: "courses:read", [API_KEY_ID_CLAIM]: keyId })
        .setProtectedHeader({ alg: "EdDSA", kid: active.kid, typ: "at+jwt" })
        .setSubject(crypto.randomUUID())
        .setIssuer(gatewayUrl)
        .setAudience("edge-learning-api")
        .setIssuedAt(now)
        .setExpirationTime(now + 120)
        .setJti(crypto.randomUUID())
        .sign(signingKey);

    for (const keyId of [crypto.randomUUID(), 42, "not-a-key-id"]) {
      expect(await auth.validateToken(await signed(keyId)), String(keyId)).toEqual({
        ok: false,
        code: "invalid_token",
      });
    }
  });
});

describe("AUTH.validateToken with a person's token, as before", () => {
  it("accepts a signed-in person's token and refuses it after they sign out everywhere", async () => {
    const session = await registerAndLogin("key-token-person");
    expect(await auth.validateToken(session.tokens.accessToken)).toMatchObject({
      ok: true,
      value: { sub: session.userId, roles: ["learner"] },
    });
    expect((await api("POST", "/api/auth/logout-all", { token: session.tokens.accessToken })).status).toBe(204);
    expect(await auth.validateToken(session.tokens.accessToken)).toEqual({ ok: false, code: "invalid_token" });
  });
});
