import { afterAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin } from "../../../test/support/people.ts";
import { msUntilRefused, probeToken } from "../../../test/support/token-refusal.ts";

/**
 * Ending sessions ends the access tokens already out, at the gateway, within seconds: after
 * logout everywhere, a single session's logout (the user's other session untouched), an admin's
 * disable, an erasure and a demotion, the old access token is refused (polled with a 5 s
 * deadline: a bound, not a timing assertion) and a fresh token works where it should. How long
 * each took is printed at the end (the gateway caches a user's session epoch and logged-out
 * sessions for 2 s, so up to about that is expected).
 */
const delays: Record<string, number> = {};
afterAll(() => {
  console.log(`revocation delays (ms): ${JSON.stringify(delays)}`);
});

async function refusedWithin5s(label: string, token: string, since: number): Promise<void> {
  delays[label] = await msUntilRefused(token, since);
}

describe("access tokens stop working within seconds of", () => {
  it("logout everywhere; a new sign-in works", async () => {
    const { email, tokens } = await registerAndLogin("revoke-all");
    expect((await probeToken(tokens.accessToken)).status).toBe(200);
    expect((await api("POST", "/api/auth/logout-all", { token: tokens.accessToken })).status).toBe(204);
    await refusedWithin5s("logout-all", tokens.accessToken, performance.now());
    const again = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect(again.status).toBe(200);
    expect((await probeToken(again.body.accessToken)).status).toBe(200);
  });

  it("logging one session out; the same user's other session keeps working", async () => {
    const { email, tokens } = await registerAndLogin("revoke-one");
    const other = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect(other.status).toBe(200);
    expect((await probeToken(tokens.accessToken)).status).toBe(200);
    expect((await probeToken(other.body.accessToken)).status).toBe(200);
    expect((await api("POST", "/api/auth/logout", { body: { refreshToken: tokens.refreshToken } })).status).toBe(204);
    await refusedWithin5s("logout", tokens.accessToken, performance.now());
    // Only that session ended: the other one's access token and refresh token still work.
    expect((await probeToken(other.body.accessToken)).status).toBe(200);
    const refreshed = await api<TokenPair>("POST", "/api/auth/refresh", {
      body: { refreshToken: other.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect((await probeToken(refreshed.body.accessToken)).status).toBe(200);
  });

  it("an admin disabling the account; enabled again, the person signs in anew", async () => {
    const boss = await admin("revoke-disable-admin");
    const { email, userId, tokens } = await registerAndLogin("revoke-disable");
    expect((await probeToken(tokens.accessToken)).status).toBe(200);
    const disabled = await api("PUT", `/api/users/${userId}/status`, {
      token: boss.token,
      body: { status: "disabled" },
    });
    expect(disabled.status).toBe(200);
    await refusedWithin5s("disable", tokens.accessToken, performance.now());
    expect(
      (await api("PUT", `/api/users/${userId}/status`, { token: boss.token, body: { status: "active" } })).status,
    ).toBe(200);
    // The disable ended every session: the old token stays refused; a new sign-in is needed and works.
    expect((await probeToken(tokens.accessToken)).status).toBe(401);
    const again = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect(again.status).toBe(200);
    expect((await probeToken(again.body.accessToken)).status).toBe(200);
  });

  it("an erasure", async () => {
    const { tokens } = await registerAndLogin("revoke-erase");
    expect((await probeToken(tokens.accessToken)).status).toBe(200);
    expect((await api("DELETE", "/api/users/me", { token: tokens.accessToken })).status).toBe(204);
    await refusedWithin5s("erase", tokens.accessToken, performance.now());
  });

  it("a demotion; a refreshed token carries the new roles and works for what they allow", async () => {
    const boss = await admin("revoke-demote-admin");
    const { email, userId } = await registerAndLogin("revoke-demoted");
    await db.query("update auth.accounts set roles = '{admin}' where id = $1", [userId]);
    const signedIn = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    const adminsOnly = (token: string) => api("GET", "/api/users?limit=1", { token });
    expect((await adminsOnly(signedIn.body.accessToken)).status).toBe(200);
    const changed = await api("PUT", `/api/users/${userId}/roles`, { token: boss.token, body: { roles: ["learner"] } });
    expect(changed.status).toBe(200);
    const since = performance.now();
    let refusedAt = 0;
    await expect
      .poll(
        async () => {
          const status = (await adminsOnly(signedIn.body.accessToken)).status;
          if (status === 401 && refusedAt === 0) refusedAt = performance.now();
          return status;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(401);
    delays.demotion = Math.round(refusedAt - since);
    // A demotion ends no session: the refresh token still works, and its access token is a learner's.
    const refreshed = await api<TokenPair>("POST", "/api/auth/refresh", {
      body: { refreshToken: signedIn.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect((await adminsOnly(refreshed.body.accessToken)).status).toBe(403);
    expect((await probeToken(refreshed.body.accessToken)).status).toBe(200);
  });
});
