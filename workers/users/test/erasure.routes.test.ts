import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { AccountExport, AuthRpc } from "@platform/contracts";
import { openDatabase } from "@platform/db";
import { buildEvent } from "@platform/events";
import { databaseBindings, inProcess, principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { applyUserCreated, applyUserDeleted } from "../src/profiles.ts";

/**
 * Erasure against the real users schema: a USER_CREATED that arrives after the account was erased
 * (registration, then erasure at once, the event last) must not bring the profile back, whether
 * the erasure came through the route or as USER_DELETED. The same race on the whole stack is in
 * users.platform.test.ts.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
afterAll(async () => {
  await database.close();
  await pool.end();
});

const eraseOnly: Pick<AuthRpc, "eraseAccount" | "exportAccount"> = {
  eraseAccount: async () => ({ ok: true, value: null }),
  exportAccount: async (userId) => ({ ok: true, value: { id: userId } as AccountExport }),
};

const created = (userId: string) =>
  buildEvent(
    "USER_CREATED",
    { userId, email: `late-${userId}@example.com`, name: "Late Arrival", roles: ["learner"] },
    { source: "auth", correlationId: `created-${userId}` },
  );

const profileRows = async (userId: string) =>
  (await pool.query("select 1 from users.profiles where user_id = $1", [userId])).rowCount;
const tombstones = async (userId: string) =>
  (await pool.query("select 1 from users.erased_users where user_id = $1", [userId])).rowCount;

describe("erasure leaves a tombstone", () => {
  it("a USER_CREATED delivered after DELETE /api/users/me creates no profile", async () => {
    const someone = principal("learner");
    const users = inProcess(app, { AUTH: eraseOnly });
    expect((await users.request("DELETE", "/api/users/me", { as: someone })).status).toBe(204);
    expect(await tombstones(someone.userId)).toBe(1);

    expect(await applyUserCreated(database.db, created(someone.userId))).toBe("applied");
    expect(await profileRows(someone.userId)).toBe(0);
  });

  it("USER_DELETED erases the profile and stops a later USER_CREATED too, once per event", async () => {
    const userId = principal("learner").userId;
    expect(await applyUserCreated(database.db, created(userId))).toBe("applied");
    expect(await profileRows(userId)).toBe(1);

    const deleted = buildEvent("USER_DELETED", { userId }, { source: "auth", correlationId: `deleted-${userId}` });
    expect(await applyUserDeleted(database.db, deleted)).toBe("applied");
    expect(await applyUserDeleted(database.db, deleted)).toBe("duplicate");
    expect(await profileRows(userId)).toBe(0);

    // The sweep re-sends unconfirmed events: a second copy of USER_CREATED (another id) arrives late.
    expect(await applyUserCreated(database.db, created(userId))).toBe("applied");
    expect(await profileRows(userId)).toBe(0);
    const { rows } = await pool.query("select * from users.erased_users where user_id = $1", [userId]);
    expect(Object.keys(rows[0]).sort(), "the tombstone holds the bare id and a time, nothing personal").toEqual([
      "erased_at",
      "user_id",
    ]);
  });
});
