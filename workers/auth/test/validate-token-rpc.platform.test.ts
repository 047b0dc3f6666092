import { SignJWT, importJWK, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AuthRpc } from "@platform/contracts";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/**
 * `validateToken` as internal callers use it: over RPC, through a real service binding to the
 * running auth worker (wrangler's platform proxy joins the stack's dev registry). Every answer is
 * a result union; nothing throws across the boundary.
 */
const [active] = JSON.parse(inject("signingKeys")) as [JWK & { kid: string }];
let connection: Awaited<ReturnType<typeof bindTo<AuthRpc>>> | undefined;
let auth: AuthRpc;
let key: CryptoKey;

beforeAll(async () => {
  connection = await bindTo<AuthRpc>("platform-auth");
  auth = connection.binding;
  key = (await importJWK(active, "EdDSA")) as CryptoKey;
});
afterAll(() => connection?.dispose());

const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: { iat: number; exp: number }, audience = "edge-learning-api") =>
  new SignJWT({ roles: ["learner"], client_id: "edge-learning" })
    .setProtectedHeader({ alg: "EdDSA", kid: active.kid, typ: "at+jwt" })
    .setSubject(crypto.randomUUID())
    .setIssuer(gatewayUrl)
    .setAudience(audience)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(crypto.randomUUID())
    .sign(key);

describe("AUTH.validateToken over a service binding", () => {
  it("returns the claims of a token from login", async () => {
    const session = await registerAndLogin("rpc-validate");
    const result = await auth.validateToken(session.tokens.accessToken);
    expect(result).toMatchObject({ ok: true, value: { sub: session.userId, roles: ["learner"] } });
  });

  it("answers expired_token for an expired token and invalid_token for the rest, without throwing", async () => {
    expect(await auth.validateToken(await sign({ iat: now() - 3600, exp: now() - 300 }))).toEqual({
      ok: false,
      code: "expired_token",
    });
    expect(await auth.validateToken(await sign({ iat: now(), exp: now() + 600 }, "someone-else"))).toEqual({
      ok: false,
      code: "invalid_token",
    });
    expect(await auth.validateToken("not.a.token")).toEqual({ ok: false, code: "invalid_token" });
    expect(await auth.validateToken("")).toEqual({ ok: false, code: "invalid_token" });
  });

  it("answers invalid_token for the token of a session logged out, and still accepts the other session's", async () => {
    const { email, tokens } = await registerAndLogin("rpc-logout-one");
    const other = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect(other.status).toBe(200);
    const validated = await auth.validateToken(tokens.accessToken);
    expect(validated).toMatchObject({ ok: true, value: { sid: expect.any(String) } });
    expect((await api("POST", "/api/auth/logout", { body: { refreshToken: tokens.refreshToken } })).status).toBe(204);
    expect(await auth.validateToken(tokens.accessToken)).toEqual({ ok: false, code: "invalid_token" });
    expect((await auth.validateToken(other.body.accessToken)).ok).toBe(true);
  });

  it("answers invalid_token for a token of sessions that were ended, and for a 10-year token", async () => {
    const session = await registerAndLogin("rpc-revoked");
    expect((await auth.validateToken(session.tokens.accessToken)).ok).toBe(true);
    expect((await api("POST", "/api/auth/logout-all", { token: session.tokens.accessToken })).status).toBe(204);
    expect(await auth.validateToken(session.tokens.accessToken)).toEqual({ ok: false, code: "invalid_token" });
    const decade = 10 * 365 * 24 * 3600;
    expect(await auth.validateToken(await sign({ iat: now(), exp: now() + decade }))).toEqual({
      ok: false,
      code: "invalid_token",
    });
  });
});
