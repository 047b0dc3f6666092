import { beforeAll, describe, expect, it } from "vitest";
import { API_KEY_PATTERN } from "@platform/contracts";
import { api, gatewayUrl, newClientAddress } from "../support/api.ts";
import { uniqueSlug } from "../support/courses.ts";
import { db } from "../support/database.ts";
import { admin, learner, type Person } from "../support/people.ts";

/**
 * Integrators' API keys (docs/integrators.md), on the running platform: made by an admin and shown
 * once, scoped (a route's declared scope, or 403), revoked at once, rotated with a grace period,
 * and exchanged for OAuth client-credentials tokens that carry only the key's scopes.
 */
interface IssuedKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  ownerId: string;
  key: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  previousValidUntil: string | null;
}

let owner: Person;

const makeKey = async (scopes: string[], name = "integration") => {
  const made = await api<IssuedKey>("POST", "/api/auth/api-keys", { token: owner.token, body: { name, scopes } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body;
};
const withKey = (key: string, method: string, path: string, body?: unknown) =>
  api(method, path, { headers: { authorization: `Bearer ${key}` }, ...(body !== undefined && { body }) });
const newCourse = (key: string) =>
  withKey(key, "POST", "/api/courses", {
    title: "Made by an integration",
    slug: uniqueSlug("api-key"),
    summary: "Through an API key.",
    language: "en",
    price: null,
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  owner = await admin("api-keys-owner");
});

describe("making and listing API keys", () => {
  it("shows the key once, with its recognisable prefix; the list never holds a secret or a hash", async () => {
    const made = await makeKey(["courses:read"], "CRM sync");
    expect(made.key).toMatch(API_KEY_PATTERN);
    expect(made.key.startsWith(`${made.prefix}_`)).toBe(true);
    expect(made).toMatchObject({ name: "CRM sync", scopes: ["courses:read"], ownerId: owner.userId, revokedAt: null });

    const listed = await api<{ items: Record<string, unknown>[] }>("GET", "/api/auth/api-keys", { token: owner.token });
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((item) => item.id === made.id);
    expect(mine).toMatchObject({ prefix: made.prefix, scopes: ["courses:read"] });
    expect(JSON.stringify(listed.body)).not.toContain(made.key.slice(made.prefix.length + 1));
    expect(mine).not.toHaveProperty("key");
    const { rows } = await db.query<{ secret_hash: string }>("select secret_hash from auth.api_keys where id = $1", [
      made.id,
    ]);
    expect(rows[0]?.secret_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.key).not.toContain(rows[0]?.secret_hash);
  });

  it("is for admins: a learner gets 403, nobody 401, and bad input 400 with nothing written", async () => {
    const person = await learner("api-keys-learner");
    const body = { name: "nope", scopes: ["courses:read"] };
    expect((await api("POST", "/api/auth/api-keys", { token: person.token, body })).status).toBe(403);
    expect((await api("GET", "/api/auth/api-keys", { token: person.token })).status).toBe(403);
    expect((await api("POST", "/api/auth/api-keys", { body })).status).toBe(401);
    const before = await db.query("select count(*)::int as n from auth.api_keys");
    for (const bad of [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["everything"] },
      { name: "", scopes: ["courses:read"] },
      { name: "x", scopes: ["courses:read"], ownerId: person.userId },
    ]) {
      const answer = await api("POST", "/api/auth/api-keys", { token: owner.token, body: bad });
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    const after = await db.query("select count(*)::int as n from auth.api_keys");
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});

describe("using a key", () => {
  it("opens the routes of its scopes and no other: 403 names the missing scope, and routes for people refuse keys", async () => {
    const reader = await makeKey(["courses:read"]);
    expect((await withKey(reader.key, "GET", "/api/courses?limit=1")).status).toBe(200);
    const refused = await newCourse(reader.key);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe("This API key lacks the scope courses:write.");
    // A route that declares no scope is for people: the key acts for an admin, but is not one.
    const forPeople = await withKey(reader.key, "GET", "/api/notifications");
    expect(forPeople.status).toBe(403);
    expect(forPeople.body.detail).toBe("API keys cannot use this route: it is for people.");
    const live = await withKey(reader.key, "POST", "/api/live/ticket");
    expect(live.status).toBe(403);

    const writer = await makeKey(["courses:write"]);
    const created = await newCourse(writer.key);
    expect(created.status).toBe(201);
    const { rows } = await db.query<{ author_id: string }>("select author_id from courses.courses where id = $1", [
      created.body.id,
    ]);
    expect(rows[0]?.author_id, "the key acts for its admin").toBe(owner.userId);
  });

  it("records when it was last used", async () => {
    const made = await makeKey(["courses:read"]);
    expect((await withKey(made.key, "GET", "/api/courses?limit=1")).status).toBe(200);
    const listed = await api<{ items: IssuedKey[] }>("GET", "/api/auth/api-keys", { token: owner.token });
    const lastUsed = listed.body.items.find((item) => item.id === made.id)?.lastUsedAt;
    expect(Date.now() - Date.parse(lastUsed ?? "")).toBeLessThan(60_000);
  });

  it("is refused at once when revoked, and a made-up or altered key is 401", async () => {
    const made = await makeKey(["courses:read"]);
    expect((await withKey(made.key, "GET", "/api/courses?limit=1")).status).toBe(200);
    const revoked = await api<IssuedKey>("DELETE", `/api/auth/api-keys/${made.id}`, { token: owner.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await withKey(made.key, "GET", "/api/courses?limit=1");
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain("invalid_token");

    const other = await makeKey(["courses:read"]);
    const altered = `${other.key.slice(0, -3)}${other.key.endsWith("AAA") ? "BBB" : "AAA"}`;
    expect((await withKey(altered, "GET", "/api/courses?limit=1")).status).toBe(401);
    expect((await withKey(`elk_${"0".repeat(32)}_${"A".repeat(43)}`, "GET", "/api/courses")).status).toBe(401);
    expect((await withKey("elk_short", "GET", "/api/courses")).status).toBe(401);
  });

  it("rotates: the new key works at once, the old one only during the grace period", async () => {
    const made = await makeKey(["courses:read"]);
    const rotated = await api<IssuedKey>("POST", `/api/auth/api-keys/${made.id}/rotate`, {
      token: owner.token,
      body: { graceSeconds: 2 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.key).not.toBe(made.key);
    expect(rotated.body.prefix).toBe(made.prefix);
    expect((await withKey(rotated.body.key, "GET", "/api/courses?limit=1")).status).toBe(200);
    expect((await withKey(made.key, "GET", "/api/courses?limit=1")).status).toBe(200);
    await sleep(2_500);
    expect((await withKey(made.key, "GET", "/api/courses?limit=1")).status).toBe(401);
    expect((await withKey(rotated.body.key, "GET", "/api/courses?limit=1")).status).toBe(200);

    // No grace: the old secret stops with the rotation.
    const again = await api<IssuedKey>("POST", `/api/auth/api-keys/${made.id}/rotate`, {
      token: owner.token,
      body: { graceSeconds: 0 },
    });
    expect((await withKey(rotated.body.key, "GET", "/api/courses?limit=1")).status).toBe(401);
    expect((await withKey(again.body.key, "GET", "/api/courses?limit=1")).status).toBe(200);
  });
});

describe("POST /api/auth/oauth/token (client credentials)", () => {
  const form = (fields: Record<string, string>, authorization?: string) =>
    fetch(`${gatewayUrl}/api/auth/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": newClientAddress(),
        ...(authorization && { authorization }),
      },
      body: new URLSearchParams(fields),
    });
  const split = (key: string) => ({ id: key.slice(0, 36), secret: key.slice(37) });
  const basic = (key: string) => `Basic ${btoa(`${split(key).id}:${split(key).secret}`)}`;

  it("exchanges a key for a token with exactly the key's scopes, or fewer when asked", async () => {
    const made = await makeKey(["courses:read", "courses:write"]);
    const answer = await form({ grant_type: "client_credentials" }, basic(made.key));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const token = (await answer.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: "courses:read courses:write" });
    const payload = token.access_token.split(".")[1] ?? "";
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      scope: string;
      sub: string;
      client_id: string;
    };
    expect(claims).toMatchObject({ scope: "courses:read courses:write", sub: owner.userId, client_id: made.prefix });
    expect((await newCourse(token.access_token)).status).toBe(201);

    // Narrowed in the form (credentials in the form too): the token cannot write.
    const narrowed = await form({
      grant_type: "client_credentials",
      scope: "courses:read",
      client_id: split(made.key).id,
      client_secret: split(made.key).secret,
    });
    const readOnly = (await narrowed.json()) as { access_token: string; scope: string };
    expect(readOnly.scope).toBe("courses:read");
    expect((await withKey(readOnly.access_token, "GET", "/api/courses?limit=1")).status).toBe(200);
    expect((await newCourse(readOnly.access_token)).status).toBe(403);
  });

  it("refuses by OAuth's rules: wrong secret 401 invalid_client, a scope the key lacks invalid_scope, another grant", async () => {
    const made = await makeKey(["courses:read"]);
    const wrong = await form(
      { grant_type: "client_credentials" },
      basic(`${made.key.slice(0, -1)}${made.key.endsWith("Q") ? "R" : "Q"}`),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
    expect(wrong.headers.get("www-authenticate")).toContain("Basic");
    const wider = await form(
      { grant_type: "client_credentials", scope: "courses:read courses:write" },
      basic(made.key),
    );
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: "invalid_scope" });
    const password = await form({ grant_type: "password", username: "a", password: "b" }, basic(made.key));
    expect(password.status).toBe(400);
    expect(await password.json()).toMatchObject({ error: "unsupported_grant_type" });
    const json = await api("POST", "/api/auth/oauth/token", { body: { grant_type: "client_credentials" } });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ error: "invalid_request" });
  });

  it("voids the key's tokens the moment the key is revoked", async () => {
    const made = await makeKey(["courses:read"]);
    const { access_token: token } = (await (
      await form({ grant_type: "client_credentials" }, basic(made.key))
    ).json()) as {
      access_token: string;
    };
    expect((await withKey(token, "GET", "/api/courses?limit=1")).status).toBe(200);
    expect((await api("DELETE", `/api/auth/api-keys/${made.id}`, { token: owner.token })).status).toBe(200);
    expect((await withKey(token, "GET", "/api/courses?limit=1")).status).toBe(401);
  });
});
