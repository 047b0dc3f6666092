import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsersRpc } from "@platform/contracts";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { learner } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/**
 * `users.learnerName` and `contactProfile` as other workers call them, over a real service binding. A missing
 * profile is told apart: `pending` while its USER_CREATED is on the way (a certificate then waits and comes on the
 * redelivery), `not_found` once the account is erased (no certificate names anybody).
 */
let connection: Awaited<ReturnType<typeof bindTo<UsersRpc>>> | undefined;
let users: UsersRpc;

beforeAll(async () => {
  connection = await bindTo<UsersRpc>("platform-users");
  users = connection.binding;
});
afterAll(async () => {
  await connection?.dispose();
  await db.end();
});

describe("USERS RPC", () => {
  it("names a person with a profile, says `pending` before the profile exists and `not_found` after erasure", async () => {
    const person = await learner("rpc-named");
    await expect.poll(async () => (await users.learnerName(person.userId)).ok, ASYNC_EFFECTS).toBe(true);
    expect(await users.learnerName(person.userId)).toEqual({ ok: true, value: expect.any(String) });
    expect(await users.contactProfile(person.userId)).toEqual({
      ok: true,
      value: { name: expect.any(String), locale: "en", timeZone: "UTC" },
    });

    // An id whose USER_CREATED has not been applied (here: never written) has no profile yet.
    const unknown = crypto.randomUUID();
    expect(await users.learnerName(unknown)).toEqual({ ok: false, code: "pending" });
    expect(await users.contactProfile(unknown)).toEqual({ ok: false, code: "not_found" });

    expect((await api("DELETE", "/api/users/me", { token: person.token })).status).toBe(204);
    expect(await users.learnerName(person.userId)).toEqual({ ok: false, code: "not_found" });
  });
});
