import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AccountExport, AuthRpc, PlatformRole } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix, type MatrixRow } from "../../../test/support/permission-matrix.ts";
import { app } from "../src/app.ts";

/**
 * An admin's view of one person (`GET /api/users/{id}`: the account from the auth worker beside
 * the profile) and their erasure by an admin (`DELETE /api/users/{id}`), in-process against the
 * real users schema with the auth worker's RPC behind its contract. Who may call them, what they
 * refuse, and what erasure leaves (the tombstone). The stack-wide journey is the admin console's
 * browser test (site/test/admin-users.platform.test.ts).
 */
interface ManagedPerson {
  readonly account: AccountExport;
  readonly profile: { readonly id: string; readonly name: string; readonly email: string | null } | null;
}

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());

/** The auth worker's accounts behind its RPC contract, and what was asked of it. */
function authStandIn() {
  const accounts = new Map<string, AccountExport>();
  const calls: string[] = [];
  let down = false;
  const rpc: Pick<AuthRpc, "exportAccount" | "eraseAccount" | "changeAccount"> = {
    exportAccount: async (userId) => {
      if (down) return { ok: false, code: "unavailable" };
      const account = accounts.get(userId);
      return account ? { ok: true, value: account } : { ok: false, code: "not_found" };
    },
    eraseAccount: async (userId) => {
      calls.push(`eraseAccount ${userId}`);
      if (down) return { ok: false, code: "unavailable" };
      return accounts.delete(userId) ? { ok: true, value: null } : { ok: false, code: "not_found" };
    },
    changeAccount: async () => ({ ok: false, code: "unavailable" }),
  };
  return {
    rpc,
    accounts,
    calls,
    goDown: (value: boolean) => {
      down = value;
    },
  };
}

const auth = authStandIn();
const users = inProcess(app, { AUTH: auth.rpc });

/** Someone with an account at the auth stand-in and, unless told otherwise, a profile in the users schema. */
async function person(name: string, roles: PlatformRole[] = ["learner"], withProfile = true): Promise<Principal> {
  const someone = principal(...roles);
  const email = `${name.toLowerCase().replaceAll(" ", "-")}-${someone.userId}@example.com`;
  auth.accounts.set(someone.userId, {
    id: someone.userId,
    email,
    roles: [...roles],
    status: "active",
    createdAt: new Date().toISOString(),
    liveSessions: 2,
  });
  if (withProfile) {
    await db.query("insert into users.profiles (user_id, name, email) values ($1, $2, $3)", [
      someone.userId,
      name,
      email,
    ]);
  }
  return someone;
}

const profileCount = async (userId: string) =>
  (await db.query("select 1 from users.profiles where user_id = $1", [userId])).rowCount;
const tombstoneCount = async (userId: string) =>
  (await db.query("select 1 from users.erased_users where user_id = $1", [userId])).rowCount;

let admin: Principal;
let learner: Principal;
let instructor: Principal;
beforeAll(async () => {
  admin = await person("Ada Admin", ["admin"]);
  learner = await person("Lee Learner");
  instructor = await person("Ida Instructor", ["instructor"]);
});

describe("GET /api/users/{id}", () => {
  it("answers the account (roles, status, sessions) beside the profile with its email", async () => {
    const target = await person("Grace Hopper", ["learner", "instructor"]);
    const read = await users.request<ManagedPerson>("GET", `/api/users/${target.userId}`, { as: admin });
    expect(read.status).toBe(200);
    expect(read.body.account).toMatchObject({
      id: target.userId,
      roles: ["learner", "instructor"],
      status: "active",
      liveSessions: 2,
    });
    expect(read.body.profile).toMatchObject({ id: target.userId, name: "Grace Hopper" });
    expect(read.body.profile?.email).toBe(read.body.account.email);
  });

  it("answers a profile of null while USER_CREATED has not made it yet", async () => {
    const fresh = await person("Not Yet", ["learner"], false);
    const read = await users.request<ManagedPerson>("GET", `/api/users/${fresh.userId}`, { as: admin });
    expect(read.status).toBe(200);
    expect(read.body.profile).toBeNull();
    expect(read.body.account.id).toBe(fresh.userId);
  });

  it("answers 404 for an id no account has, 400 for one that is not a UUID, 503 when accounts are unavailable", async () => {
    const unknown = await users.request<ProblemDetails>("GET", `/api/users/${principal().userId}`, { as: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect(unknown.body.detail).toBe("No such user.");
    const invalid = await users.request<ProblemDetails>("GET", "/api/users/not-a-uuid", { as: admin });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((error) => error.path)).toContain("param.id");
    auth.goDown(true);
    try {
      const target = await person("Unreachable");
      expect((await users.request("GET", `/api/users/${target.userId}`, { as: admin })).status).toBe(503);
    } finally {
      auth.goDown(false);
    }
  });

  it("leaves /api/users/me to its own route: one's own profile, for anyone signed in", async () => {
    const own = await users.request<{ id: string }>("GET", "/api/users/me", { as: learner });
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(learner.userId);
  });
});

describe("DELETE /api/users/{id}", () => {
  it("erases the account at the auth worker, then the profile, leaving a tombstone", async () => {
    const target = await person("Erased By Admin");
    const before = auth.calls.length;
    const erased = await users.request("DELETE", `/api/users/${target.userId}`, { as: admin });
    expect(erased.status).toBe(204);
    expect(auth.calls.slice(before)).toEqual([`eraseAccount ${target.userId}`]);
    expect(auth.accounts.has(target.userId)).toBe(false);
    expect(await profileCount(target.userId)).toBe(0);
    expect(await tombstoneCount(target.userId)).toBe(1);
    // Gone: a second erasure and a read both say so.
    expect((await users.request("DELETE", `/api/users/${target.userId}`, { as: admin })).status).toBe(404);
    expect((await users.request("GET", `/api/users/${target.userId}`, { as: admin })).status).toBe(404);
  });

  it("refuses an admin's own account (409: the account page does that), and keeps it", async () => {
    const self = await users.request<ProblemDetails>("DELETE", `/api/users/${admin.userId}`, { as: admin });
    expect(self.status).toBe(409);
    expect(self.body.detail).toContain("your own account");
    expect(auth.accounts.has(admin.userId)).toBe(true);
    expect(await profileCount(admin.userId)).toBe(1);
  });

  it("writes nothing for an unknown id (404), and keeps the profile when accounts are unavailable (503)", async () => {
    const unknown = principal().userId;
    expect((await users.request("DELETE", `/api/users/${unknown}`, { as: admin })).status).toBe(404);
    expect(await tombstoneCount(unknown)).toBe(0);

    const target = await person("Kept While Down");
    auth.goDown(true);
    try {
      expect((await users.request("DELETE", `/api/users/${target.userId}`, { as: admin })).status).toBe(503);
    } finally {
      auth.goDown(false);
    }
    expect(await profileCount(target.userId)).toBe(1);
    expect(await tombstoneCount(target.userId)).toBe(0);
  });
});

describe("who may call them", () => {
  const callers = ["anonymous", "learner", "instructor", "admin"] as const;
  type Caller = (typeof callers)[number];
  const as = (caller: Caller): Principal | undefined =>
    caller === "anonymous" ? undefined : { learner, instructor, admin }[caller];

  it("only admins; others learn only that (401, 403), whatever the id, and nobody is erased by them", async () => {
    const target = await person("Protected Person");
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "GET", path: `/api/users/${target.userId}` },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
      },
      {
        request: { method: "GET", path: "/api/users/not-a-uuid" },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
      {
        request: { method: "DELETE", path: "/api/users/not-a-uuid" },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => users.request(request.method, request.path, { as: as(caller) }),
    });
    for (const caller of ["anonymous", "learner", "instructor"] as const) {
      const refused = await users.request<ProblemDetails>("DELETE", `/api/users/${target.userId}`, {
        as: as(caller),
      });
      expect(refused.status, caller).toBe(caller === "anonymous" ? 401 : 403);
      expect(refused.body.errors, caller).toBeUndefined();
    }
    expect(auth.accounts.has(target.userId)).toBe(true);
    expect(await profileCount(target.userId)).toBe(1);
  });
});
