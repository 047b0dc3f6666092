import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, uniqueEmail, type RegisteredUser } from "../../../test/support/api.ts";

const db = new pg.Client({ connectionString: inject("databaseUrl") });
beforeAll(() => db.connect());
afterAll(() => db.end());

async function outboxFor(userId: string) {
  const { rows } = await db.query<{ type: string; topic: string; envelope: Record<string, unknown> }>(
    "select type, topic, envelope from auth.outbox where aggregate_id = $1",
    [userId],
  );
  return rows;
}

describe("POST /api/auth/register", () => {
  it("creates the account and its USER_CREATED event in the outbox, with the request's correlation id", async () => {
    const email = uniqueEmail("register");
    const response = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, name: "Ada" },
      headers: { "x-correlation-id": "reg-1" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ email, name: "Ada", roles: ["learner"] });
    expect(response.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);

    const events = await outboxFor(response.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "USER_CREATED",
      topic: "user-events",
      envelope: {
        type: "USER_CREATED",
        source: "auth",
        version: 1,
        aggregateId: response.body.id,
        data: { userId: response.body.id, email, name: "Ada", roles: ["learner"] },
        metadata: { correlationId: "reg-1" },
      },
    });
  });

  it("answers a second registration for the same email (in another case) like a new one, and creates nothing", async () => {
    const email = uniqueEmail("dupe");
    const first = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "A" },
    });
    expect(first.status).toBe(201);
    const before = (await db.query("select count(*)::int as n from auth.outbox")).rows[0].n as number;
    const again = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email: email.toUpperCase(), password: GOOD_PASSWORD, name: "B" },
    });
    // The same answer a new registration gets: nobody learns that the address has an account.
    expect(again.status).toBe(201);
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(again.body).toMatchObject({ email, name: "B", roles: ["learner"] });
    expect(again.body.id).not.toBe(first.body.id);
    const accounts = await db.query("select id from auth.accounts where email = $1", [email]);
    expect(accounts.rows).toEqual([{ id: first.body.id }]);
    const after = (await db.query("select count(*)::int as n from auth.outbox")).rows[0].n as number;
    expect(after).toBe(before);
  });

  it.each([
    ["too short", "short1!", "at least 8"],
    ["a common password", "password123", "most common"],
    ["another common password", "iloveyou", "most common"],
    ["too long", "x".repeat(129), "at most 128"],
  ])("rejects a password that is %s, saying why", async (_case, password, message) => {
    const email = uniqueEmail("weak");
    const response = await api<{ errors: { path: string; message: string }[] }>("POST", "/api/auth/register", {
      body: { email, password, name: "W" },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.path).toBe("json.password");
    expect(response.body.errors[0]?.message).toContain(message);
    const { rowCount } = await db.query("select 1 from auth.accounts where email = $1", [email]);
    expect(rowCount).toBe(0);
  });

  it("accepts long passphrases without composition rules (64 characters, spaces, any script)", async () => {
    const password = "ünïcödé pässphrase with spaces and no digits at all, 64 chars ok";
    expect([...password].length).toBeGreaterThanOrEqual(64);
    const response = await api("POST", "/api/auth/register", {
      body: { email: uniqueEmail("long"), password, name: "L" },
    });
    expect(response.status).toBe(201);
  });

  it("lists every invalid field of a malformed request", async () => {
    const response = await api<{ errors: { path: string }[] }>("POST", "/api/auth/register", {
      body: { email: "not-an-email", password: "", name: "" },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error) => error.path).sort()).toEqual([
      "json.email",
      "json.name",
      "json.password",
    ]);
  });

  it("answers malformed JSON with 400 problem+json", async () => {
    const response = await fetch(`${inject("gatewayUrl")}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("stores only a self-describing scrypt hash, never the password", async () => {
    const email = uniqueEmail("hash");
    await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "H" } });
    const { rows } = await db.query<{ password_hash: string }>(
      "select password_hash from auth.accounts where email = $1",
      [email],
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(rows[0]?.password_hash).not.toContain(GOOD_PASSWORD);
  });
});
