import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { INVALID_LINK_DETAIL } from "../src/routes/invalid-link.ts";
import { registered, signIn } from "./support/accounts.ts";
import { authApp, database, GOOD_PASSWORD, OTHER_PASSWORD, PUBLIC_ORIGIN, uniqueEmail } from "./support/auth-app.ts";
import { tokenOf } from "./support/notifications-stand-in.ts";

/**
 * Password reset: the request answers the same whether or not the address has an account, the
 * mailed link sets a new password once, ends every session and sends a notice; every bad link is
 * refused alike with nothing changed.
 */
const { client, notifications, sessions } = await authApp();
afterAll(() => database.end());

const requestReset = (email: string) => client.request("POST", "/api/auth/password-reset", { body: { email } });
const confirm = (token: string, password = OTHER_PASSWORD) =>
  client.request<ProblemDetails>("POST", "/api/auth/password-reset/confirm", { body: { token, password } });
const passwordHashOf = async (userId: string) =>
  (await database.query<{ h: string }>("select password_hash as h from auth.accounts where id = $1", [userId])).rows[0]
    ?.h;

/** An account with a reset link requested; the token from the mail. */
async function withResetLink(tag: string) {
  const account = await registered(client, notifications, tag);
  expect((await requestReset(account.email)).status).toBe(202);
  const data = notifications.only(account.email, "password-reset");
  expect(data.resetUrl.startsWith(`${PUBLIC_ORIGIN}/account/reset-password?token=`)).toBe(true);
  return { ...account, resetToken: tokenOf(data.resetUrl), expiresAt: data.expiresAt };
}

function expectInvalidLink(response: { status: number; body: ProblemDetails }) {
  expect(response.status).toBe(400);
  expect(response.body.detail).toBe(INVALID_LINK_DETAIL);
}

describe("asking for a reset", () => {
  it("answers an unknown address exactly like a known one (status, body, keys), and mails no one", async () => {
    const account = await registered(client, notifications, "reset-known");
    const unknownEmail = uniqueEmail("reset-unknown");
    const known = await requestReset(account.email);
    const unknown = await requestReset(unknownEmail);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(unknown.status);
    expect(known.body).toEqual(unknown.body);
    expect(Object.keys(known.body)).toEqual(Object.keys(unknown.body));
    expect(known.headers.get("content-type")).toBe(unknown.headers.get("content-type"));

    expect(notifications.to(unknownEmail)).toEqual([]);
    expect(notifications.only(account.email, "password-reset").expiresAt).toBeDefined();
  });

  it("mails a link valid for an hour, to an active account only", async () => {
    const { expiresAt, userId } = await withResetLink("reset-hour");
    const lifetime = new Date(expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    await database.query("update auth.accounts set status = 'disabled' where id = $1", [userId]);
    const disabled = await database.query<{ email: string }>("select email from auth.accounts where id = $1", [userId]);
    const email = disabled.rows[0]?.email ?? "";
    const before = notifications.to(email).length;
    const answer = await requestReset(email);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: true });
    expect(notifications.to(email)).toHaveLength(before);
  });

  it("refuses a body that is not an email address with 400", async () => {
    const response = await client.request<ProblemDetails>("POST", "/api/auth/password-reset", {
      body: { email: "nope" },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.path)).toEqual(["json.email"]);
  });
});

describe("following the reset link", () => {
  it("sets the new password, ends every session, confirms the address and mails a notice", async () => {
    const account = await withResetLink("reset-happy");
    expect((await signIn(client, account.email)).status).toBe(200);
    expect(sessions.sessionsOf(account.userId).live.size).toBe(1);

    const done = await confirm(account.resetToken);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ passwordChanged: true, sessionsEnded: true });

    expect(sessions.sessionsOf(account.userId).ended).toEqual(["password-reset"]);
    expect(sessions.sessionsOf(account.userId).live.size).toBe(0);
    expect((await signIn(client, account.email, GOOD_PASSWORD)).status).toBe(401);
    expect((await signIn(client, account.email, OTHER_PASSWORD)).status).toBe(200);
    const { rows } = await database.query("select email_verified_at from auth.accounts where id = $1", [
      account.userId,
    ]);
    expect(rows[0].email_verified_at).toBeInstanceOf(Date);
    const notice = notifications.only(account.email, "password-changed");
    expect(Date.now() - Date.parse(notice.changedAt)).toBeLessThan(60_000);
  });

  it("works once: reused, the link is refused and the password stays the one it set", async () => {
    const account = await withResetLink("reset-reuse");
    expect((await confirm(account.resetToken)).status).toBe(200);
    const hash = await passwordHashOf(account.userId);
    expectInvalidLink(await confirm(account.resetToken, "yet another fine passphrase"));
    expect(await passwordHashOf(account.userId)).toBe(hash);
  });

  it("is refused once expired: the password, the sessions and the mails stay as they were", async () => {
    const account = await withResetLink("reset-expired");
    expect((await signIn(client, account.email)).status).toBe(200);
    await database.query(
      "update auth.account_tokens set expires_at = now() - interval '1 second' where user_id = $1 and purpose = 'reset_password'",
      [account.userId],
    );
    const hash = await passwordHashOf(account.userId);
    expectInvalidLink(await confirm(account.resetToken));
    expect(await passwordHashOf(account.userId)).toBe(hash);
    expect(sessions.sessionsOf(account.userId).ended).toEqual([]);
    expect(sessions.sessionsOf(account.userId).live.size).toBe(1);
    expect(notifications.to(account.email).map((mail) => mail.mail.template)).not.toContain("password-changed");
  });

  it("is refused when tampered with, or when it is another kind of link; nothing changes", async () => {
    const account = await withResetLink("reset-tampered");
    const hash = await passwordHashOf(account.userId);
    const token = account.resetToken;
    expectInvalidLink(await confirm(`${token.slice(0, 5)}${token[5] === "x" ? "y" : "x"}${token.slice(6)}`));
    // The verification link of the same account cannot set a password.
    expectInvalidLink(await confirm(account.verifyToken));
    // Nor can a reset link confirm an address.
    const asVerification = await client.request<ProblemDetails>("POST", "/api/auth/verify-email", {
      body: { token: account.resetToken },
    });
    expectInvalidLink(asVerification);
    expect(await passwordHashOf(account.userId)).toBe(hash);
    expect(sessions.sessionsOf(account.userId).ended).toEqual([]);
    expect((await confirm(account.resetToken)).status).toBe(200);
  });

  it("only the newest link works when several were asked for", async () => {
    const account = await withResetLink("reset-newest");
    expect((await requestReset(account.email)).status).toBe(202);
    const links = notifications
      .to(account.email)
      .filter((mail) => mail.mail.template === "password-reset")
      .map((mail) => tokenOf((mail.mail.data as { resetUrl: string }).resetUrl));
    expect(links).toHaveLength(2);
    expectInvalidLink(await confirm(links[0] ?? ""));
    expect((await confirm(links[1] ?? "")).status).toBe(200);
  });

  it("applies the password policy (400 naming the field), and the link still works afterwards", async () => {
    const account = await withResetLink("reset-policy");
    const hash = await passwordHashOf(account.userId);
    for (const weak of ["short", "password123", account.email.split("@")[0] ?? ""]) {
      const refused = await confirm(account.resetToken, weak);
      expect(refused.status, weak).toBe(400);
      expect(refused.body.errors?.map((error) => error.path)).toEqual(["json.password"]);
    }
    expect(await passwordHashOf(account.userId)).toBe(hash);
    expect((await confirm(account.resetToken)).status).toBe(200);
  });

  it("is refused for an account disabled since the link was mailed", async () => {
    const account = await withResetLink("reset-disabled");
    await database.query("update auth.accounts set status = 'disabled' where id = $1", [account.userId]);
    const hash = await passwordHashOf(account.userId);
    expectInvalidLink(await confirm(account.resetToken));
    expect(await passwordHashOf(account.userId)).toBe(hash);
  });
});
