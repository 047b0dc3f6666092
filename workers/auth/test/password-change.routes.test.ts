import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { registered, signIn } from "./support/accounts.ts";
import { authApp, database, GOOD_PASSWORD, OTHER_PASSWORD } from "./support/auth-app.ts";

/**
 * Changing the password while signed in: the current one is needed (and wrong guesses count
 * against the sign-in throttle), every other session ends, the caller's goes on when it sends
 * its refresh token, and the owner gets a notice.
 */
const { client, notifications, sessions } = await authApp();
afterAll(() => database.end());

type Changed = { sessionKept: boolean; tokens: { accessToken: string; refreshToken: string } | null };
const change = (as: { userId: string; roles: ["learner"] }, body: Record<string, unknown>) =>
  client.request<Changed & ProblemDetails>("POST", "/api/auth/password", { as, body });
const passwordHashOf = async (userId: string) =>
  (await database.query<{ h: string }>("select password_hash as h from auth.accounts where id = $1", [userId])).rows[0]
    ?.h;

describe("changing the password", () => {
  it("keeps the caller's session, ends every other one, and mails a notice", async () => {
    const account = await registered(client, notifications, "change-keep");
    const here = await signIn(client, account.email);
    const elsewhere = await signIn(client, account.email);
    expect(sessions.sessionsOf(account.userId).live.size).toBe(2);

    const changed = await change(account.as, {
      currentPassword: GOOD_PASSWORD,
      newPassword: OTHER_PASSWORD,
      refreshToken: here.body.refreshToken,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.sessionKept).toBe(true);
    expect(changed.body.tokens?.refreshToken).toBe(here.body.refreshToken);
    expect(changed.body.tokens?.accessToken).toEqual(expect.any(String));
    expect(changed.body.tokens?.accessToken).not.toBe(here.body.accessToken);

    const live = sessions.sessionsOf(account.userId).live;
    expect([...live]).toEqual([here.body.refreshToken]);
    expect(live.has(elsewhere.body.refreshToken)).toBe(false);
    expect((await signIn(client, account.email, OTHER_PASSWORD)).status).toBe(200);
    expect((await signIn(client, account.email, GOOD_PASSWORD)).status).toBe(401);
    expect(notifications.only(account.email, "password-changed").changedAt).toEqual(expect.any(String));
  });

  it("ends every session, the caller's too, without a refresh token or with someone else's", async () => {
    const account = await registered(client, notifications, "change-all");
    const other = await registered(client, notifications, "change-all-other");
    await signIn(client, account.email);
    const othersSession = await signIn(client, other.email);
    // First without a refresh token, then with the other person's: each time from the current password.
    const steps = [
      { from: GOOD_PASSWORD, to: OTHER_PASSWORD, refreshToken: undefined },
      { from: OTHER_PASSWORD, to: "a third fine passphrase", refreshToken: othersSession.body.refreshToken },
    ];
    for (const step of steps) {
      expect((await signIn(client, account.email, step.from)).status).toBe(200);
      const changed = await change(account.as, {
        currentPassword: step.from,
        newPassword: step.to,
        refreshToken: step.refreshToken,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ sessionKept: false, tokens: null });
      expect(sessions.sessionsOf(account.userId).live.size).toBe(0);
    }
    // The other person's session was not touched.
    expect(sessions.sessionsOf(other.userId).live.has(othersSession.body.refreshToken)).toBe(true);
  });

  it("refuses a wrong current password with 403, counts it against the sign-in throttle, and changes nothing", async () => {
    const account = await registered(client, notifications, "change-wrong");
    const session = await signIn(client, account.email);
    const hash = await passwordHashOf(account.userId);
    const refused = await change(account.as, {
      currentPassword: "not my password at all",
      newPassword: OTHER_PASSWORD,
      refreshToken: session.body.refreshToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.errors?.map((error) => error.path)).toEqual(["json.currentPassword"]);
    expect(sessions.failuresFor(account.email)).toBe(1);
    expect(await passwordHashOf(account.userId)).toBe(hash);
    expect(sessions.sessionsOf(account.userId).ended).toEqual([]);
    expect(notifications.to(account.email).map((mail) => mail.mail.template)).not.toContain("password-changed");
  });

  it("applies the password policy to the new password (400 naming it), before looking at the current one", async () => {
    const account = await registered(client, notifications, "change-weak");
    const hash = await passwordHashOf(account.userId);
    const refused = await change(account.as, { currentPassword: GOOD_PASSWORD, newPassword: "password123" });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((error) => error.path)).toEqual(["json.newPassword"]);
    expect(sessions.failuresFor(account.email)).toBe(0);
    expect(await passwordHashOf(account.userId)).toBe(hash);
  });

  it("needs a signed-in caller (401 before any validation) and both passwords (400)", async () => {
    expect((await client.request("POST", "/api/auth/password", { body: {} })).status).toBe(401);
    const account = await registered(client, notifications, "change-shape");
    const missing = await change(account.as, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((error) => error.path).sort()).toEqual([
      "json.currentPassword",
      "json.newPassword",
    ]);
  });
});
