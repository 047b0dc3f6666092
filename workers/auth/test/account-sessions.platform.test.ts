import { v7 as uuidv7 } from "uuid";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, newClientAddress, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { hashAccountToken } from "../src/account-tokens.ts";

/**
 * What a password reset and a password change do to sessions, against the real SessionStore and
 * LoginThrottle objects in workerd: refresh tokens refused, access tokens already out refused at
 * the gateway, and the caller's session kept when it asked. The reset link's token is planted
 * in the database here (hashed, as auth stores it), so this does not depend on mail delivery;
 * account-mails.platform.test.ts follows the real mail.
 */
const db = new pg.Client({ connectionString: inject("databaseUrl") });
beforeAll(() => db.connect());
afterAll(() => db.end());

const NEW_PASSWORD = "a brand new passphrase";

const refresh = (refreshToken: string) => api<TokenPair>("POST", "/api/auth/refresh", { body: { refreshToken } });
const me = (accessToken: string) => api<{ id: string }>("GET", "/api/auth/me", { token: accessToken });
const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  api<TokenPair>("POST", "/api/auth/login", { body: { email, password }, headers });

/** A reset link's token for this account, as the reset request would have stored it. */
async function plantResetToken(userId: string): Promise<string> {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  await db.query(
    `insert into auth.account_tokens (id, user_id, purpose, token_hash, expires_at)
     values ($1, $2, 'reset_password', $3, now() + interval '1 hour')`,
    [uuidv7(), userId, await hashAccountToken(token)],
  );
  return token;
}

describe("a password reset", () => {
  it("ends every session: refresh tokens and access tokens already out are refused", async () => {
    const person = await registerAndLogin("reset-sessions");
    const second = await login(person.email, GOOD_PASSWORD);
    expect(second.status).toBe(200);
    expect((await me(person.tokens.accessToken)).status).toBe(200);

    const token = await plantResetToken(person.userId);
    const reset = await api("POST", "/api/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD } });
    expect(reset.status).toBe(200);

    expect((await refresh(person.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    // The gateway refuses access tokens from before the reset within its epoch cache's 2 s.
    await expect.poll(async () => (await me(person.tokens.accessToken)).status, { timeout: 10_000 }).toBe(401);
    expect((await login(person.email, GOOD_PASSWORD)).status).toBe(401);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
    // Used once: the same link again changes nothing.
    const again = await api("POST", "/api/auth/password-reset/confirm", { body: { token, password: GOOD_PASSWORD } });
    expect(again.status).toBe(400);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
  });
});

describe("a password change", () => {
  it("ends the other device's session while the caller's goes on with the new access token", async () => {
    const person = await registerAndLogin("change-sessions");
    const other = await login(person.email, GOOD_PASSWORD);
    const changed = await api<{ sessionKept: boolean; tokens: TokenPair | null }>("POST", "/api/auth/password", {
      token: person.tokens.accessToken,
      body: { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD, refreshToken: person.tokens.refreshToken },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.sessionKept).toBe(true);
    const tokens = changed.body.tokens;
    if (!tokens) throw new Error("no tokens for the kept session");

    // The other device: its refresh token is refused, and so (within seconds) is its access token.
    expect((await refresh(other.body.refreshToken)).status).toBe(401);
    await expect.poll(async () => (await me(other.body.accessToken)).status, { timeout: 10_000 }).toBe(401);
    // The caller: the new access token works, the old one does not, and its refresh token still refreshes.
    expect((await me(tokens.accessToken)).status).toBe(200);
    expect((await me(person.tokens.accessToken)).status).toBe(401);
    const refreshed = await refresh(tokens.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.accessToken)).status).toBe(200);
  });

  it("cannot be used to guess the password: wrong current passwords meet the sign-in throttle", async () => {
    const person = await registerAndLogin("change-throttle");
    const client = { "cf-connecting-ip": newClientAddress() };
    const attempt = (currentPassword: string) =>
      api("POST", "/api/auth/password", {
        token: person.tokens.accessToken,
        headers: client,
        body: { currentPassword, newPassword: NEW_PASSWORD },
      });
    const statuses: number[] = [];
    for (let guess = 0; guess < 5; guess += 1) statuses.push((await attempt(`wrong guess number ${guess}`)).status);
    // The first failures are answered 403; then the pair waits, and even the right password gets 429.
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses).toContain(429);
    const right = await attempt(GOOD_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await login(person.email, GOOD_PASSWORD)).status).toBe(200);
  });
});
