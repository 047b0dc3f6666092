import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { INVALID_LINK_DETAIL } from "../src/routes/invalid-link.ts";
import { registered } from "./support/accounts.ts";
import { authApp, database } from "./support/auth-app.ts";
import { tokenOf } from "./support/notifications-stand-in.ts";

/**
 * Following the verification link (`POST /api/auth/verify-email`), asking for a new one
 * (`…/resend`), and the account view that shows the state. Every bad link gets the same 400 and
 * leaves the account as it was.
 */
const { client, notifications } = await authApp();
afterAll(() => database.end());

const verify = (token: unknown) =>
  client.request<ProblemDetails>("POST", "/api/auth/verify-email", { body: { token } });
const me = (as: { userId: string; roles: ["learner"] }) =>
  client.request<{ emailVerified: boolean; email: string }>("GET", "/api/auth/me", { as });
const verifiedAt = async (userId: string) =>
  (
    await database.query<{ at: Date | null }>("select email_verified_at as at from auth.accounts where id = $1", [
      userId,
    ])
  ).rows[0]?.at;

function expectInvalidLink(response: { status: number; headers: Headers; body: ProblemDetails }) {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.body.detail).toBe(INVALID_LINK_DETAIL);
  expect(response.body.errors?.map((error) => error.path)).toEqual(["json.token"]);
}

describe("following the verification link", () => {
  it("confirms the address, which the account view shows; unverified accounts can sign in before", async () => {
    const account = await registered(client, notifications, "verify-happy");
    expect((await me(account.as)).body).toMatchObject({ email: account.email, emailVerified: false });
    const signedIn = await client.request("POST", "/api/auth/login", {
      body: { email: account.email, password: "a perfectly fine passphrase" },
    });
    expect(signedIn.status).toBe(200);

    const verified = await verify(account.verifyToken);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ emailVerified: true });
    expect(await verifiedAt(account.userId)).toBeInstanceOf(Date);
    expect((await me(account.as)).body.emailVerified).toBe(true);
  });

  it("works once: the same link again is refused, and the first confirmation's time stays", async () => {
    const account = await registered(client, notifications, "verify-reuse");
    expect((await verify(account.verifyToken)).status).toBe(200);
    const first = await verifiedAt(account.userId);
    expectInvalidLink(await verify(account.verifyToken));
    expect(await verifiedAt(account.userId)).toEqual(first);
  });

  it("is refused once expired, and nothing changes", async () => {
    const account = await registered(client, notifications, "verify-expired");
    await database.query("update auth.account_tokens set expires_at = now() - interval '1 second' where user_id = $1", [
      account.userId,
    ]);
    expectInvalidLink(await verify(account.verifyToken));
    expect(await verifiedAt(account.userId)).toBeNull();
    const unused = await database.query("select 1 from auth.account_tokens where user_id = $1 and used_at is null", [
      account.userId,
    ]);
    expect(unused.rowCount).toBe(1);
  });

  it.each([
    ["one character changed", (token: string) => (token[0] === "A" ? "B" : "A") + token.slice(1)],
    ["cut short", (token: string) => token.slice(0, -1)],
    ["longer", (token: string) => `${token}A`],
    ["made up", () => "A".repeat(43)],
  ])("is refused when tampered with (%s), and nothing changes", async (_case, tamper) => {
    const account = await registered(client, notifications, "verify-tampered");
    expectInvalidLink(await verify(tamper(account.verifyToken)));
    expect(await verifiedAt(account.userId)).toBeNull();
    // The genuine link still works afterwards.
    expect((await verify(account.verifyToken)).status).toBe(200);
  });

  it("answers a missing or non-string token with 400 naming the field", async () => {
    for (const body of [{}, { token: 42 }, { token: "" }]) {
      const response = await client.request<ProblemDetails>("POST", "/api/auth/verify-email", { body });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => error.path)).toEqual(["json.token"]);
    }
  });
});

describe("asking for a new verification link", () => {
  it("mails a new link; the earlier one stops working", async () => {
    const account = await registered(client, notifications, "verify-resend");
    const resent = await client.request("POST", "/api/auth/verify-email/resend", { as: account.as });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ accepted: true });
    const mails = notifications.to(account.email).filter((mail) => mail.mail.template === "verify-email");
    expect(mails).toHaveLength(2);
    const newToken = tokenOf((mails[1]?.mail.data as { verifyUrl: string }).verifyUrl);
    expect(newToken).not.toBe(account.verifyToken);

    expectInvalidLink(await verify(account.verifyToken));
    expect(await verifiedAt(account.userId)).toBeNull();
    expect((await verify(newToken)).status).toBe(200);
  });

  it("sends nothing once the address is confirmed, with the same answer", async () => {
    const account = await registered(client, notifications, "verify-resend-done");
    expect((await verify(account.verifyToken)).status).toBe(200);
    const before = notifications.to(account.email).length;
    const resent = await client.request("POST", "/api/auth/verify-email/resend", { as: account.as });
    expect(resent.status).toBe(202);
    expect(notifications.to(account.email)).toHaveLength(before);
  });

  it("needs a signed-in caller", async () => {
    expect((await client.request("POST", "/api/auth/verify-email/resend")).status).toBe(401);
    expect((await client.request("GET", "/api/auth/me")).status).toBe(401);
  });
});
