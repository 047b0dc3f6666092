import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";

const db = new pg.Client({ connectionString: inject("databaseUrl") });
beforeAll(() => db.connect());
afterAll(() => db.end());

const refresh = (refreshToken: string) => api<TokenPair>("POST", "/api/auth/refresh", { body: { refreshToken } });

describe("refresh tokens", () => {
  it("are opaque, carry at least 128 random bits, and every use rotates them", async () => {
    const { tokens } = await registerAndLogin("rotate");
    const secret = tokens.refreshToken.split(".").at(-1) ?? "";
    expect(secret.length * 6).toBeGreaterThanOrEqual(128);
    const first = await refresh(tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
  });

  it("presenting a rotated token again after its successor was used revokes the whole family", async () => {
    const { tokens } = await registerAndLogin("reuse");
    const rotated = await refresh(tokens.refreshToken);
    expect(rotated.status).toBe(200);
    const newest = await refresh(rotated.body.refreshToken);
    expect(newest.status).toBe(200);
    const replay = await refresh(tokens.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("content-type")).toBe("application/problem+json");
    expect((await refresh(newest.body.refreshToken)).status).toBe(401);
  });

  it("ten concurrent refreshes with one token (tabs racing): all get the same successor, and it works", async () => {
    const { tokens } = await registerAndLogin("race");
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(tokens.refreshToken)));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));
    const successors = new Set(results.map((result) => result.body.refreshToken));
    expect(successors.size).toBe(1);
    for (const result of results) {
      expect((await api("GET", "/api/payments/me", { token: result.body.accessToken })).status).toBe(200);
    }
    expect((await refresh([...successors][0] ?? "")).status).toBe(200);
  });

  it("the same token again after the grace window (2 s on the test stack) is a replay: the family is revoked", async () => {
    const { tokens } = await registerAndLogin("late-replay");
    const rotated = await refresh(tokens.refreshToken);
    expect(rotated.status).toBe(200);
    // Within the window the replay answers the same successor; once it has passed, 401.
    await expect
      .poll(
        async () => {
          const again = await refresh(tokens.refreshToken);
          if (again.status === 200) expect(again.body.refreshToken).toBe(rotated.body.refreshToken);
          return again.status;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(401);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it("an older token than the last rotated one, even within the window, revokes the family", async () => {
    const { tokens } = await registerAndLogin("older");
    const second = await refresh(tokens.refreshToken);
    const third = await refresh(second.body.refreshToken);
    expect([second.status, third.status]).toEqual([200, 200]);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    expect((await refresh(third.body.refreshToken)).status).toBe(401);
  });

  it.each([
    ["garbage", "not-a-token"],
    ["a well-formed token nobody issued", `rt1.${crypto.randomUUID()}.${crypto.randomUUID()}.${"A".repeat(43)}`],
  ])("rejects %s with 401", async (_name, token) => {
    expect((await refresh(token)).status).toBe(401);
  });

  it("a token moved to another user's id is rejected", async () => {
    const victim = await registerAndLogin("victim");
    const attacker = await registerAndLogin("attacker");
    const [, , family, secret] = attacker.tokens.refreshToken.split(".");
    expect((await refresh(`rt1.${victim.userId}.${family}.${secret}`)).status).toBe(401);
  });
});

describe("ending sessions", () => {
  it("logout ends that session only", async () => {
    const { email, tokens } = await registerAndLogin("logout");
    const other = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect((await api("POST", "/api/auth/logout", { body: { refreshToken: tokens.refreshToken } })).status).toBe(204);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    expect((await refresh(other.body.refreshToken)).status).toBe(200);
  });

  it("logout everywhere ends every session of the user", async () => {
    const { email, tokens } = await registerAndLogin("everywhere");
    const other = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect((await api("POST", "/api/auth/logout-all", { token: tokens.accessToken })).status).toBe(204);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    expect((await refresh(other.body.refreshToken)).status).toBe(401);
  });

  it("a disabled account can neither refresh nor sign in, with the same answer as a wrong password", async () => {
    const { email, userId, tokens } = await registerAndLogin("disabled");
    await db.query("update auth.accounts set status = 'disabled' where id = $1", [userId]);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    const login = await api("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    expect(login.status).toBe(401);
    expect(login.body.detail).toBe("The email or password is incorrect.");
  });
});
