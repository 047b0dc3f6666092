import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { openDatabase } from "@platform/db";
import type { EventEnvelope, EventData } from "@platform/events";
import * as schema from "../src/db/schema.ts";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { applyUserCreated } from "../src/profiles.ts";

/**
 * The users service against the real stack. Profiles are created by USER_CREATED, which the
 * event backbone delivers from the auth outbox through the Queue and the events worker.
 */
const pool = new pg.Pool({ connectionString: inject("databaseUrl") });
// The worker's own driver (Neon over the local WebSocket proxy), so the domain code runs as it does in workerd.
const database = openDatabase(
  { DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: `127.0.0.1:${inject("proxyPort")}` },
  schema,
);

async function deliverUserCreated(userId: string): Promise<string> {
  const { rows } = await pool.query<{ envelope: EventEnvelope<"USER_CREATED", EventData<"USER_CREATED">> }>(
    "select envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
    [userId],
  );
  const event = rows[0]?.envelope;
  if (!event) throw new Error("no USER_CREATED in the auth outbox");
  return applyUserCreated(database.db, event);
}

async function person(tag: string) {
  const session = await registerAndLogin(tag);
  await vi.waitFor(async () => {
    const { rows } = await pool.query("select 1 from users.profiles where user_id = $1", [session.userId]);
    expect(rows, "the profile, created from USER_CREATED").not.toHaveLength(0);
  }, ASYNC_EFFECTS);
  return session;
}

async function admin() {
  const session = await person("admin");
  await pool.query("update auth.accounts set roles = '{admin}' where id = $1", [session.userId]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  return { ...session, token: login.body.accessToken };
}

beforeAll(() => pool.query("select 1"));
afterAll(async () => {
  await database.close();
  await pool.end();
});

describe("USER_CREATED consumer", () => {
  it("creates the profile once, however often the event is delivered", async () => {
    const session = await person("dedupe");
    // The Queue delivered it already; the same consumer function, given it again, does nothing.
    expect(await deliverUserCreated(session.userId)).toBe("duplicate");
    expect(await deliverUserCreated(session.userId)).toBe("duplicate");
    const { rows } = await pool.query("select name from users.profiles where user_id = $1", [session.userId]);
    expect(rows).toEqual([{ name: "User dedupe" }]);
  });
});

describe("GET/PATCH /api/users/me", () => {
  it("shows and changes one's own profile, and records USER_UPDATED with the correlation id", async () => {
    const { tokens, userId } = await person("me");
    const mine = await api("GET", "/api/users/me", { token: tokens.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: userId, name: "User me", locale: "en", timeZone: "UTC", avatarUrl: null });

    const changed = await api("PATCH", "/api/users/me", {
      token: tokens.accessToken,
      body: { name: "Ada L.", locale: "pt-BR", timeZone: "Europe/Berlin", avatarUrl: "https://img.example/ada.png" },
      headers: { "x-correlation-id": "profile-change-1" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: "Ada L.", locale: "pt-BR", timeZone: "Europe/Berlin" });
    const { rows } = await pool.query(
      "select envelope->'data' as data, envelope->'metadata'->>'correlationId' as cid from users.outbox where aggregate_id = $1",
      [userId],
    );
    expect(rows).toEqual([
      {
        data: {
          userId,
          name: "Ada L.",
          locale: "pt-BR",
          timeZone: "Europe/Berlin",
          avatarUrl: "https://img.example/ada.png",
        },
        cid: "profile-change-1",
      },
    ]);
  });

  it.each([
    [{ timeZone: "Mars/Olympus" }, "json.timeZone"],
    [{ locale: "not a locale!" }, "json.locale"],
    [{ avatarUrl: "http://insecure.example/a.png" }, "json.avatarUrl"],
    [{ name: "" }, "json.name"],
    [{ email: "x@example.com" }, "json"],
    [{}, "json"],
  ])("rejects %j with field errors and changes nothing", async (body, path) => {
    const { tokens, userId } = await person("bad-patch");
    const response = await api<{ errors: { path: string }[] }>("PATCH", "/api/users/me", {
      token: tokens.accessToken,
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error) => error.path)).toContain(path);
    const { rows } = await pool.query("select count(*)::int as n from users.outbox where aggregate_id = $1", [userId]);
    expect(rows[0].n).toBe(0);
  });

  it("needs a signed-in user", async () => {
    expect((await api("GET", "/api/users/me")).status).toBe(401);
  });
});

describe("export and erasure", () => {
  it("exports one's own account and profile as a JSON download", async () => {
    const { tokens, userId, email } = await person("export");
    const response = await api("GET", "/api/users/me/export", { token: tokens.accessToken });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    expect(response.body).toMatchObject({
      account: { id: userId, email, roles: ["learner"], status: "active", liveSessions: 1 },
      profile: { id: userId, name: "User export" },
    });
  });

  it("erases the account and profile, records USER_DELETED, and ends every session", async () => {
    const { tokens, userId, email } = await person("erase");
    expect((await api("DELETE", "/api/users/me", { token: tokens.accessToken })).status).toBe(204);
    const account = await pool.query("select 1 from auth.accounts where id = $1", [userId]);
    const profile = await pool.query("select 1 from users.profiles where user_id = $1", [userId]);
    expect(account.rowCount).toBe(0);
    expect(profile.rowCount).toBe(0);
    const deleted = await pool.query(
      "select envelope->'data' as data from auth.outbox where aggregate_id = $1 and type = 'USER_DELETED'",
      [userId],
    );
    expect(deleted.rows).toEqual([{ data: { userId } }]);
    expect((await api("POST", "/api/auth/refresh", { body: { refreshToken: tokens.refreshToken } })).status).toBe(401);
    expect((await api("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } })).status).toBe(401);
  });
});

describe("administration", () => {
  it("lets an admin search by name or email with cursor pagination", async () => {
    const boss = await admin();
    const tag = `needle${Date.now()}`;
    for (let index = 0; index < 3; index++) await person(tag);
    const first = await api<{ items: { email: string }[]; nextCursor: string | null }>(
      "GET",
      `/api/users?q=${tag}&limit=2`,
      { token: boss.token },
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await api<{ items: { email: string }[]; nextCursor: string | null }>(
      "GET",
      `/api/users?q=${tag}&limit=2&cursor=${first.body.nextCursor}`,
      { token: boss.token },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const emails = [...first.body.items, ...second.body.items].map((item) => item.email);
    expect(new Set(emails).size).toBe(3);
  });

  it("lets an admin change roles, and the next token carries them", async () => {
    const boss = await admin();
    const someone = await person("promote");
    const changed = await api("PUT", `/api/users/${someone.userId}/roles`, {
      token: boss.token,
      body: { roles: ["instructor", "learner"] },
    });
    expect(changed.status).toBe(200);
    const refreshed = await api<TokenPair>("POST", "/api/auth/refresh", {
      body: { refreshToken: someone.tokens.refreshToken },
    });
    const claims = JSON.parse(Buffer.from(refreshed.body.accessToken.split(".")[1] ?? "", "base64url").toString()) as {
      roles: string[];
    };
    expect(claims.roles.sort()).toEqual(["instructor", "learner"]);
  });

  it("disabling someone ends their sessions at once and refresh fails", async () => {
    const boss = await admin();
    const someone = await person("disable");
    const disabled = await api("PUT", `/api/users/${someone.userId}/status`, {
      token: boss.token,
      body: { status: "disabled" },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ status: "disabled", liveSessions: 0 });
    expect(
      (await api("POST", "/api/auth/refresh", { body: { refreshToken: someone.tokens.refreshToken } })).status,
    ).toBe(401);
  });

  it("is refused to non-admins (403), even for their own id, and answers 404 for unknown users", async () => {
    const learner = await person("not-admin");
    for (const [method, path, body] of [
      ["GET", "/api/users", undefined],
      ["PUT", `/api/users/${learner.userId}/roles`, { roles: ["admin"] }],
      ["PUT", `/api/users/${learner.userId}/status`, { status: "disabled" }],
    ] as const) {
      expect((await api(method, path, { token: learner.tokens.accessToken, body })).status).toBe(403);
    }
    const boss = await admin();
    const unknown = await api("PUT", `/api/users/${crypto.randomUUID()}/status`, {
      token: boss.token,
      body: { status: "disabled" },
    });
    expect(unknown.status).toBe(404);
  });

  it("stops an admin from disabling themselves or dropping their own admin role", async () => {
    const boss = await admin();
    expect(
      (await api("PUT", `/api/users/${boss.userId}/status`, { token: boss.token, body: { status: "disabled" } }))
        .status,
    ).toBe(409);
    expect(
      (await api("PUT", `/api/users/${boss.userId}/roles`, { token: boss.token, body: { roles: ["learner"] } })).status,
    ).toBe(409);
  });
});
