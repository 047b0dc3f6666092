import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AuthRpc } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";

/**
 * Text PostgreSQL cannot store (a NUL, a lone surrogate), refused by the kit's validation hook with
 * a 400 naming the field, in-process against the real users schema: before the hook checked it, the
 * profile's update (NUL in `text`) or its USER_UPDATED event (`\ud800` in `jsonb`) failed with a 500.
 * Who before what still holds: only a caller who may call the route is told what is wrong.
 * Every route of the platform is fuzzed the same way by test/platform/storable-text.test.ts.
 */
const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });

/** The users routes here never reach the auth service: a stand-in that fails if they do. */
const auth: Pick<AuthRpc, "changeAccount"> = {
  changeAccount: async () => {
    throw new Error("the auth service should not be asked");
  },
};
const users = inProcess(app, { AUTH: auth });

async function person(name: string, ...roles: Principal["roles"]): Promise<Principal> {
  const someone = principal(...roles);
  await db.query("insert into users.profiles (user_id, name, email) values ($1, $2, $3)", [
    someone.userId,
    name,
    `${someone.userId}@example.com`,
  ]);
  return someone;
}

const profileOf = async (userId: string) =>
  (await db.query<{ name: string }>("select name from users.profiles where user_id = $1", [userId])).rows[0];
const eventsOf = async (userId: string) =>
  (await db.query("select id from users.outbox where aggregate_id = $1", [userId])).rowCount;
const fieldPaths = (body: ProblemDetails) => (body.errors ?? []).map((error) => error.path);

let admin: Principal;
beforeAll(async () => {
  admin = await person("Ada Admin", "admin");
});
afterAll(() => db.end());

describe("text PostgreSQL cannot store, refused by the validation hook", () => {
  it.each([
    ["a NUL", "Grace\u0000Hopper"],
    ["a lone high surrogate", "Grace \uD800"],
    ["a lone low surrogate", "\uDC00Grace"],
  ])("PATCH /api/users/me with %s in the name answers 400 json.name and changes nothing", async (_, name) => {
    const someone = await person("Grace Hopper");
    const refused = await users.request<ProblemDetails>("PATCH", "/api/users/me", { as: someone, body: { name } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.type).toBe("/problems/validation-failed");
    expect(fieldPaths(refused.body)).toEqual(["json.name"]);
    expect(await profileOf(someone.userId)).toEqual({ name: "Grace Hopper" });
    expect(await eventsOf(someone.userId)).toBe(0);
  });

  it("still stores any real text, emoji (surrogate pairs) included", async () => {
    const someone = await person("Grace Hopper");
    const name = "Grâce 😀 Hopper 学";
    const changed = await users.request("PATCH", "/api/users/me", { as: someone, body: { name } });
    expect(changed.status).toBe(200);
    expect(await profileOf(someone.userId)).toEqual({ name });
  });

  it("GET /api/users?q with a NUL answers 400 query.q", async () => {
    const refused = await users.request<ProblemDetails>("GET", "/api/users?q=Ada%00", { as: admin });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(fieldPaths(refused.body)).toEqual(["query.q"]);
  });

  it("names every offending field at once", async () => {
    const someone = await person("Grace Hopper");
    const refused = await users.request<ProblemDetails>("PATCH", "/api/users/me", {
      as: someone,
      body: { name: "\u0000", locale: "en", avatarUrl: "https://img.example/\uD800.png" },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(fieldPaths(refused.body)).toEqual(["json.name", "json.avatarUrl"]);
  });

  it("keeps who before what: 401 for an anonymous caller and 403 for a learner, whatever the text", async () => {
    expect((await users.request("PATCH", "/api/users/me", { body: { name: "\u0000" } })).status).toBe(401);
    const learner = await person("Lee Learner", "learner");
    expect((await users.request("GET", "/api/users?q=%00", { as: learner })).status).toBe(403);
  });
});
