import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { INVALID_LINK_DETAIL } from "../src/routes/invalid-link.ts";
import { maskEmail } from "../src/routes/email-change.ts";
import { registered, signIn } from "./support/accounts.ts";
import { authApp, database, GOOD_PASSWORD, PUBLIC_ORIGIN, uniqueEmail } from "./support/auth-app.ts";
import { tokenOf } from "./support/notifications-stand-in.ts";

/**
 * Changing the address: nothing changes until the link mailed to the new address is followed;
 * then the old address is told. Someone else's address gets the same answer and no mail.
 */
const { client, notifications, sessions } = await authApp();
afterAll(() => database.end());

const requestChange = (as: { userId: string; roles: ["learner"] }, newEmail: string, currentPassword = GOOD_PASSWORD) =>
  client.request<ProblemDetails>("POST", "/api/auth/email", { as, body: { newEmail, currentPassword } });
const confirmChange = (token: string) =>
  client.request<ProblemDetails & { email: string }>("POST", "/api/auth/email/confirm", { body: { token } });
const emailOf = async (userId: string) =>
  (await database.query<{ email: string }>("select email from auth.accounts where id = $1", [userId])).rows[0]?.email;

describe("changing the address", () => {
  it("mails a link to the new address; following it makes the change, confirmed, and tells the old address", async () => {
    const account = await registered(client, notifications, "change-email");
    await signIn(client, account.email);
    const newEmail = uniqueEmail("change-email-new");
    const asked = await requestChange(account.as, `  ${newEmail.toUpperCase()} `);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ accepted: true });
    expect(await emailOf(account.userId)).toBe(account.email);

    const mail = notifications.to(newEmail);
    expect(mail.map((sent) => sent.userId)).toEqual([account.userId]);
    const link = notifications.only(newEmail, "email-change-verify").verifyUrl;
    expect(link.startsWith(`${PUBLIC_ORIGIN}/account/confirm-email?token=`)).toBe(true);

    const confirmed = await confirmChange(tokenOf(link));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ email: newEmail, emailVerified: true });
    expect(await emailOf(account.userId)).toBe(newEmail);
    const me = await client.request("GET", "/api/auth/me", { as: account.as });
    expect(me.body).toMatchObject({ email: newEmail, emailVerified: true });

    const notice = notifications.only(account.email, "email-changed");
    expect(notice.newEmail).toBe(maskEmail(newEmail));
    expect(notice.newEmail).not.toContain(newEmail.split("@")[0]);
    // Sessions go on, and the account signs in with the new address only.
    expect(sessions.sessionsOf(account.userId).ended).toEqual([]);
    expect((await signIn(client, newEmail)).status).toBe(200);
    expect((await signIn(client, account.email)).status).toBe(401);
    // The verification link mailed to the old address no longer confirms anything.
    const old = await client.request<ProblemDetails>("POST", "/api/auth/verify-email", {
      body: { token: account.verifyToken },
    });
    expect(old.status).toBe(400);
  });

  it("answers the same for an address that has an account, and mails nothing to it", async () => {
    const account = await registered(client, notifications, "change-email-taken");
    const other = await registered(client, notifications, "change-email-owner");
    const before = notifications.to(other.email).length;
    const free = await requestChange(account.as, uniqueEmail("change-email-free"));
    const taken = await requestChange(account.as, other.email);
    expect(taken.status).toBe(free.status);
    expect(taken.body).toEqual(free.body);
    expect(notifications.to(other.email)).toHaveLength(before);
    expect(await emailOf(account.userId)).toBe(account.email);
  });

  it("answers 409 when the address was taken between the mail and the confirmation, and changes nothing", async () => {
    const account = await registered(client, notifications, "change-email-race");
    const newEmail = uniqueEmail("change-email-raced");
    expect((await requestChange(account.as, newEmail)).status).toBe(202);
    const token = tokenOf(notifications.only(newEmail, "email-change-verify").verifyUrl);
    const squatter = await client.request("POST", "/api/auth/register", {
      body: { email: newEmail, password: GOOD_PASSWORD, name: "Squatter" },
    });
    expect(squatter.status).toBe(201);

    const refused = await confirmChange(token);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await emailOf(account.userId)).toBe(account.email);
    expect(notifications.to(account.email).map((mail) => mail.mail.template)).not.toContain("email-changed");
  });

  it("refuses a wrong current password (403, counted by the throttle) and mails nothing", async () => {
    const account = await registered(client, notifications, "change-email-wrong");
    const newEmail = uniqueEmail("change-email-never");
    const refused = await requestChange(account.as, newEmail, "not the password at all");
    expect(refused.status).toBe(403);
    expect(sessions.failuresFor(account.email)).toBe(1);
    expect(notifications.to(newEmail)).toEqual([]);
  });

  it("refuses the account's own address and a malformed one with 400 naming json.newEmail", async () => {
    const account = await registered(client, notifications, "change-email-same");
    for (const newEmail of [account.email, "not-an-address"]) {
      const refused = await requestChange(account.as, newEmail);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.map((error) => error.path)).toEqual(["json.newEmail"]);
    }
  });

  it("refuses an expired, reused or tampered link alike, and nothing changes", async () => {
    const account = await registered(client, notifications, "change-email-bad");
    const newEmail = uniqueEmail("change-email-bad-new");
    expect((await requestChange(account.as, newEmail)).status).toBe(202);
    const token = tokenOf(notifications.only(newEmail, "email-change-verify").verifyUrl);

    const tampered = await confirmChange(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
    expect(tampered.status).toBe(400);
    expect(tampered.body.detail).toBe(INVALID_LINK_DETAIL);

    await database.query(
      "update auth.account_tokens set expires_at = now() - interval '1 second' where user_id = $1 and purpose = 'change_email'",
      [account.userId],
    );
    const expired = await confirmChange(token);
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toBe(INVALID_LINK_DETAIL);
    expect(await emailOf(account.userId)).toBe(account.email);

    await database.query(
      "update auth.account_tokens set expires_at = now() + interval '1 hour' where user_id = $1 and purpose = 'change_email'",
      [account.userId],
    );
    expect((await confirmChange(token)).status).toBe(200);
    const reused = await confirmChange(token);
    expect(reused.status).toBe(400);
    expect(reused.body.detail).toBe(INVALID_LINK_DETAIL);
  });

  it("needs a signed-in caller to ask", async () => {
    const anonymous = await client.request("POST", "/api/auth/email", {
      body: { newEmail: uniqueEmail("x"), currentPassword: GOOD_PASSWORD },
    });
    expect(anonymous.status).toBe(401);
  });
});
