import type { z } from "@hono/zod-openapi";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AccountExport, AuthRpc, PlatformRole } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, recordingQueue, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix, type MatrixRow } from "../../../test/support/permission-matrix.ts";
import { app } from "../src/app.ts";
import type { profileSchema } from "../src/routes/schemas.ts";

/**
 * The users routes in-process (Hono `app.request`) against the real users schema: what each route
 * refuses as invalid input, and who may call it. Who before what: a caller who may not call a route
 * learns that (401, 403) whatever the body, and only one who may is told what is wrong with it (400).
 * The journeys (profiles made from USER_CREATED, erasure ending sessions) are users.platform.test.ts.
 */
type Profile = z.infer<typeof profileSchema>;

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });

/** The accounts the auth worker would hold, behind its RPC contract: what the users routes ask of it. */
function authStandIn() {
  const accounts = new Map<string, AccountExport>();
  const calls: string[] = [];
  const rpc: Pick<AuthRpc, "changeAccount" | "exportAccount" | "eraseAccount"> = {
    changeAccount: async (userId, changes) => {
      calls.push(`changeAccount ${userId} ${JSON.stringify(changes)}`);
      const account = accounts.get(userId);
      if (!account) return { ok: false, code: "not_found" };
      const changed = { ...account, ...changes, ...(changes.status === "disabled" && { liveSessions: 0 }) };
      accounts.set(userId, changed);
      return { ok: true, value: changed };
    },
    exportAccount: async (userId) => {
      const account = accounts.get(userId);
      return account ? { ok: true, value: account } : { ok: false, code: "not_found" };
    },
    eraseAccount: async (userId) =>
      accounts.delete(userId) ? { ok: true, value: null } : { ok: false, code: "not_found" },
  };
  return { rpc, accounts, calls };
}

const auth = authStandIn();
/** The owners of the other parts of a person's export: nobody here has anything there (export.routes.test.ts). */
const nothingHeld = {
  COURSES: { learnerRecords: async () => ({ ok: true, value: { enrollments: [], subscriptionAccess: [] } }) },
  PAYMENTS: { paymentRecords: async () => ({ ok: true, value: { purchases: [], subscriptions: [] } }) },
  PROGRESS: { progressRecords: async () => ({ ok: true, value: { courses: [], lessons: [], certificates: [] } }) },
  NOTIFICATIONS: {
    notificationRecords: async () => ({
      ok: true,
      value: { preferences: [], notices: [], pushSubscriptions: [], deliveries: [] },
    }),
  },
};
const users = inProcess(app, { AUTH: auth.rpc, ...nothingHeld });

/** Someone with an account (at the auth stand-in) and a profile (in the users schema), as USER_CREATED leaves them. */
async function person(name: string, ...roles: PlatformRole[]): Promise<Principal> {
  const someone = principal(...roles);
  const email = `${name.toLowerCase().replaceAll(" ", "-")}-${someone.userId}@example.com`;
  auth.accounts.set(someone.userId, {
    id: someone.userId,
    email,
    roles: [...someone.roles],
    status: "active",
    createdAt: new Date().toISOString(),
    liveSessions: 1,
  });
  await db.query("insert into users.profiles (user_id, name, email) values ($1, $2, $3)", [
    someone.userId,
    name,
    email,
  ]);
  return someone;
}

const eventsOf = async (userId: string) =>
  (await db.query<{ type: string }>("select type from users.outbox where aggregate_id = $1", [userId])).rows.map(
    (row) => row.type,
  );

const fieldPaths = (body: ProblemDetails) => (body.errors ?? []).map((error) => error.path);

let learner: Principal;
let instructor: Principal;
let admin: Principal;
beforeAll(async () => {
  learner = await person("Lee Learner", "learner");
  instructor = await person("Ida Instructor", "instructor");
  admin = await person("Ada Admin", "admin");
});
afterAll(() => db.end());

describe("PATCH /api/users/me: validation", () => {
  it("changes one's own profile, records USER_UPDATED, and relays it to the Queue once the answer is out", async () => {
    const someone = await person("Grace Hopper");
    const queue = recordingQueue();
    const relaying = inProcess(app, { AUTH: auth.rpc, EVENTS_QUEUE: queue });
    const changed = await relaying.request<Profile>("PATCH", "/api/users/me", {
      as: someone,
      body: {
        name: "Grace B. Hopper",
        locale: "pt-BR",
        timeZone: "Europe/Berlin",
        avatarUrl: "https://img.example/grace.png",
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: someone.userId,
      name: "Grace B. Hopper",
      locale: "pt-BR",
      timeZone: "Europe/Berlin",
    });
    expect(await eventsOf(someone.userId)).toEqual(["USER_UPDATED"]);
    // The relay ran in `waitUntil`, after the answer: the client waits for it as workerd would.
    expect(queue.sent).toContainEqual(
      expect.objectContaining({ type: "USER_UPDATED", data: expect.objectContaining({ userId: someone.userId }) }),
    );
    const { rows } = await db.query("select queued_at from users.outbox where aggregate_id = $1", [someone.userId]);
    expect(rows[0]?.queued_at).toBeInstanceOf(Date);
  });

  it.each([
    [{ timeZone: "Mars/Olympus" }, "json.timeZone"],
    [{ locale: "not a locale!" }, "json.locale"],
    [{ avatarUrl: "http://insecure.example/a.png" }, "json.avatarUrl"],
    [{ avatarUrl: `https://img.example/${"a".repeat(2000)}.png` }, "json.avatarUrl"],
    [{ name: "" }, "json.name"],
    [{ name: "   " }, "json.name"],
    [{ name: "x".repeat(201) }, "json.name"],
    [{ email: "x@example.com" }, "json"],
    [{}, "json"],
  ])("refuses %j with 400 and the field's error, and changes nothing", async (body, path) => {
    const someone = await person("Bad Patch");
    const refused = await users.request<ProblemDetails>("PATCH", "/api/users/me", { as: someone, body });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(fieldPaths(refused.body)).toContain(path);
    expect(await eventsOf(someone.userId)).toEqual([]);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const refused = await users.request("PATCH", "/api/users/me", { as: learner, body: "{ not json" });
    expect(refused.status).toBe(400);
  });
});

describe("what a request asks of PostgreSQL (the request log line's `db` field)", () => {
  it("reading one's profile opens no session (reads go over HTTP); changing it opens exactly one, for its transaction", async () => {
    const someone = await person("Counted Reader");
    const read = await users.request("GET", "/api/users/me", { as: someone });
    expect(read.status).toBe(200);
    expect(read.db).toEqual({ queries: expect.any(Number), sessions: 0 });
    expect(read.db?.queries).toBeGreaterThan(0);
    const write = await users.request("PATCH", "/api/users/me", { as: someone, body: { name: "Counted Writer" } });
    expect(write.status).toBe(200);
    // begin, the update, the outbox insert, commit: all on one session.
    expect(write.db).toEqual({ queries: expect.any(Number), sessions: 1 });
    expect(write.db?.queries).toBeGreaterThanOrEqual(4);
  });
});

describe("admin routes: validation", () => {
  it.each([
    ["limit=0", "query.limit"],
    ["limit=101", "query.limit"],
    ["limit=many", "query.limit"],
    ["cursor=not-a-uuid", "query.cursor"],
    ["q=", "query.q"],
    [`q=${"x".repeat(101)}`, "query.q"],
  ])("GET /api/users?%s answers 400 naming %s", async (query, path) => {
    const refused = await users.request<ProblemDetails>("GET", `/api/users?${query}`, { as: admin });
    expect(refused.status).toBe(400);
    expect(fieldPaths(refused.body)).toContain(path);
  });

  it.each([
    ["not-a-uuid", { roles: ["instructor"] }, "param.id"],
    ["someone", { roles: [] }, "json.roles"],
    ["someone", { roles: ["root"] }, "json.roles.0"],
    ["someone", { roles: ["learner", "instructor", "admin", "learner"] }, "json.roles"],
    ["someone", { roles: "admin" }, "json.roles"],
    ["someone", {}, "json.roles"],
  ])("PUT /api/users/%s/roles %j answers 400 naming %s, and asks the auth service nothing", async (id, body, path) => {
    const target = id === "someone" ? (await person("Role Target")).userId : id;
    const before = auth.calls.length;
    const refused = await users.request<ProblemDetails>("PUT", `/api/users/${target}/roles`, { as: admin, body });
    expect(refused.status).toBe(400);
    expect(fieldPaths(refused.body)).toContain(path);
    expect(auth.calls.slice(before)).toEqual([]);
  });

  it.each([
    ["not-a-uuid", { status: "disabled" }, "param.id"],
    ["someone", { status: "gone" }, "json.status"],
    ["someone", {}, "json.status"],
  ])("PUT /api/users/%s/status %j answers 400 naming %s", async (id, body, path) => {
    const target = id === "someone" ? (await person("Status Target")).userId : id;
    const refused = await users.request<ProblemDetails>("PUT", `/api/users/${target}/status`, { as: admin, body });
    expect(refused.status).toBe(400);
    expect(fieldPaths(refused.body)).toContain(path);
  });

  it("passes a valid change on to the auth service once, roles without repeats, and answers the account", async () => {
    const target = await person("Promoted Person");
    const before = auth.calls.length;
    const changed = await users.request("PUT", `/api/users/${target.userId}/roles`, {
      as: admin,
      body: { roles: ["instructor", "learner", "instructor"] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: target.userId, roles: ["instructor", "learner"] });
    expect(auth.calls.slice(before)).toEqual([`changeAccount ${target.userId} {"roles":["instructor","learner"]}`]);
  });

  it("answers 404 for an account the auth service does not know", async () => {
    const unknown = principal().userId;
    expect(
      (await users.request("PUT", `/api/users/${unknown}/status`, { as: admin, body: { status: "disabled" } })).status,
    ).toBe(404);
  });
});

describe("who may call what", () => {
  const callers = ["anonymous", "learner", "instructor", "admin"] as const;
  type Caller = (typeof callers)[number];
  const as = (caller: Caller): Principal | undefined =>
    caller === "anonymous" ? undefined : { learner, instructor, admin }[caller];

  it("every users route: anonymous 401, signed-in callers their own profile, only admins the admin routes", async () => {
    const target = await person("Managed Person");
    const search = encodeURIComponent("Managed Person");
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "GET", path: "/api/users/me" },
        expect: { anonymous: 401, learner: 200, instructor: 200, admin: 200 },
      },
      {
        request: { method: "PATCH", path: "/api/users/me", body: { locale: "fr" } },
        expect: { anonymous: 401, learner: 200, instructor: 200, admin: 200 },
      },
      {
        request: { method: "GET", path: "/api/users/me/export" },
        expect: { anonymous: 401, learner: 200, instructor: 200, admin: 200 },
      },
      {
        request: { method: "GET", path: `/api/users?q=${search}` },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
      },
      {
        request: {
          method: "PUT",
          path: `/api/users/${target.userId}/roles`,
          body: { roles: ["learner", "instructor"] },
        },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
      },
      {
        request: { method: "PUT", path: `/api/users/${target.userId}/status`, body: { status: "active" } },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => users.request(request.method, request.path, { body: request.body, as: as(caller) }),
    });
  });

  it("erasure: anonymous 401, anyone signed in their own account (204)", async () => {
    // People of their own: erasure takes the account and the profile with it.
    const erased = {
      learner: await person("Erased Learner", "learner"),
      instructor: await person("Erased Instructor", "instructor"),
      admin: await person("Erased Admin", "admin"),
    };
    await expectPermissionMatrix({
      callers,
      rows: [
        {
          request: { method: "DELETE", path: "/api/users/me" },
          expect: { anonymous: 401, learner: 204, instructor: 204, admin: 204 },
        },
      ],
      send: (request, caller) =>
        users.request(request.method, request.path, { as: caller === "anonymous" ? undefined : erased[caller] }),
    });
    for (const someone of Object.values(erased)) {
      expect(auth.accounts.has(someone.userId)).toBe(false);
      expect((await db.query("select 1 from users.profiles where user_id = $1", [someone.userId])).rowCount).toBe(0);
    }
  });

  it("who before what: a caller who may not call a route gets 401 or 403 for an invalid request, never the 400 that describes it", async () => {
    const target = await person("Untouched Person");
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "PATCH", path: "/api/users/me", body: { timeZone: "Mars/Olympus", email: "x@example.com" } },
        expect: { anonymous: 401, learner: 400, instructor: 400, admin: 400 },
      },
      {
        request: { method: "PATCH", path: "/api/users/me", body: "{ not json" },
        expect: { anonymous: 401, learner: 400, instructor: 400, admin: 400 },
      },
      {
        request: { method: "GET", path: "/api/users?limit=0&cursor=nope" },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
      {
        request: { method: "PUT", path: "/api/users/not-a-uuid/roles", body: { roles: "everything" } },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
      {
        request: { method: "PUT", path: `/api/users/${target.userId}/roles`, body: { roles: ["root"] } },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
      {
        request: { method: "PUT", path: `/api/users/${target.userId}/status`, body: {} },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
      {
        request: { method: "PUT", path: `/api/users/${target.userId}/status`, body: "{ not json" },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => users.request(request.method, request.path, { body: request.body, as: as(caller) }),
    });
    expect(auth.accounts.get(target.userId)).toMatchObject({ roles: ["learner"], status: "active" });
  });

  it("a refusal says only that: sign in, or not allowed, with no field errors", async () => {
    const anonymous = await users.request<ProblemDetails>("PUT", "/api/users/not-a-uuid/roles", {
      body: { roles: "everything" },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors).toBeUndefined();
    const forbidden = await users.request<ProblemDetails>("PUT", "/api/users/not-a-uuid/roles", {
      as: learner,
      body: { roles: "everything" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors).toBeUndefined();
  });

  it("an admin may not disable themselves or drop their own admin role (409)", async () => {
    const boss = await person("Self Admin", "admin");
    expect(
      (await users.request("PUT", `/api/users/${boss.userId}/status`, { as: boss, body: { status: "disabled" } }))
        .status,
    ).toBe(409);
    expect(
      (await users.request("PUT", `/api/users/${boss.userId}/roles`, { as: boss, body: { roles: ["learner"] } }))
        .status,
    ).toBe(409);
  });
});
