import { afterAll, describe, expect, it } from "vitest";
import { hashAccountToken } from "../src/account-tokens.ts";
import { authApp, database, GOOD_PASSWORD, PUBLIC_ORIGIN, uniqueEmail } from "./support/auth-app.ts";
import { tokenOf } from "./support/notifications-stand-in.ts";

/**
 * Registration and its mails: a new address gets a verification link, and an address that already
 * has an account gets exactly the same answer while its owner is told instead.
 */
const { client, notifications } = await authApp();
afterAll(() => database.end());

interface Registered {
  id: string;
  email: string;
  name: string;
  roles: string[];
  createdAt: string;
}

const register = (email: string, name = "Ada", headers: Record<string, string> = {}) =>
  client.request<Registered>("POST", "/api/auth/register", {
    body: { email, password: GOOD_PASSWORD, name },
    headers,
  });

const countAccounts = async (email: string) =>
  (await database.query("select 1 from auth.accounts where email = $1", [email])).rowCount;

describe("a new registration", () => {
  it("mails a verification link to the new address, whose token is stored only as its SHA-256", async () => {
    const email = uniqueEmail("verify-mail");
    const registered = await register(email, "Ada", { "accept-language": "de-DE,de;q=0.9,en;q=0.8" });
    expect(registered.status).toBe(201);

    const [mail] = notifications.to(email);
    expect(mail).toMatchObject({ userId: registered.body.id, to: email, localeHint: "de-DE" });
    expect(mail?.mail.template).toBe("verify-email");
    const data = notifications.only(email, "verify-email");
    expect(data.verifyUrl.startsWith(`${PUBLIC_ORIGIN}/account/verify-email?token=`)).toBe(true);
    const token = tokenOf(data.verifyUrl);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { rows } = await database.query<{ token_hash: string; purpose: string; expires_at: Date }>(
      "select token_hash, purpose, expires_at from auth.account_tokens where user_id = $1",
      [registered.body.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.purpose).toBe("verify_email");
    expect(rows[0]?.token_hash).toBe(await hashAccountToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    // 48 hours by default, as the mail says.
    const lifetime = (rows[0]?.expires_at.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(47.9 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(48 * 3600_000);
    expect(new Date(data.expiresAt).getTime()).toBe(rows[0]?.expires_at.getTime());
  });

  it("still answers 201 with the account when the notifications worker is down or throws", async () => {
    for (const answer of ["unavailable", "throw"] as const) {
      notifications.answer = answer;
      try {
        const email = uniqueEmail(`mail-${answer}`);
        const registered = await register(email);
        expect(registered.status).toBe(201);
        expect(await countAccounts(email)).toBe(1);
      } finally {
        notifications.answer = "ok";
      }
    }
  });
});

describe("registering an address that already has an account", () => {
  it("answers exactly like a new registration, creates nothing, and mails the owner instead", async () => {
    const email = uniqueEmail("taken");
    const first = await register(email, "Owner");
    expect(first.status).toBe(201);
    const outboxBefore = (await database.query("select count(*)::int as n from auth.outbox")).rows[0].n as number;

    const again = await register(email.toUpperCase(), "Stranger");
    expect(again.status).toBe(first.status);
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(again.body).toMatchObject({ email, name: "Stranger", roles: ["learner"] });
    // A fresh id of the same kind, not the owner's.
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(Number.isNaN(Date.parse(again.body.createdAt))).toBe(false);

    expect(await countAccounts(email)).toBe(1);
    const outboxAfter = (await database.query("select count(*)::int as n from auth.outbox")).rows[0].n as number;
    expect(outboxAfter).toBe(outboxBefore);
    const ids = await database.query("select 1 from auth.accounts where id = $1", [again.body.id]);
    expect(ids.rowCount).toBe(0);

    // The owner: one verification mail from their own registration, then one account-exists.
    expect(notifications.to(email).map((mail) => mail.mail.template)).toEqual(["verify-email", "account-exists"]);
    expect(notifications.to(email)[1]?.userId).toBe(first.body.id);
    expect(notifications.only(email, "account-exists")).toEqual({
      signInUrl: `${PUBLIC_ORIGIN}/signin`,
      resetUrl: `${PUBLIC_ORIGIN}/account/reset-password`,
    });
    // The stranger's attempt issued no token the owner did not ask for.
    const tokens = await database.query("select purpose from auth.account_tokens where user_id = $1", [first.body.id]);
    expect(tokens.rows).toEqual([{ purpose: "verify_email" }]);
  });

  it("refuses a weak password the same way whether or not the address is taken", async () => {
    const email = uniqueEmail("weak-taken");
    expect((await register(email)).status).toBe(201);
    const taken = await client.request("POST", "/api/auth/register", {
      body: { email, password: "password123", name: "X" },
    });
    const free = await client.request("POST", "/api/auth/register", {
      body: { email: uniqueEmail("weak-free"), password: "password123", name: "X" },
    });
    expect(taken.status).toBe(400);
    expect({ ...taken.body, correlationId: undefined, instance: undefined }).toEqual({
      ...free.body,
      correlationId: undefined,
      instance: undefined,
    });
  });
});
