import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { principal, type Principal } from "../../../test/support/in-process.ts";
import type { CategoryPreferences } from "../src/preferences/preferences.ts";
import { enabledChannels } from "../src/preferences/preferences.ts";
import { database, inboxApp, storedPreferences } from "./inbox-support.ts";
import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "../src/db/schema.ts";
import type { Queryable } from "../src/db/database.ts";

/**
 * `GET`/`PUT /api/notifications/preferences`, and `enabledChannels` (what delivery asks) reading what they
 * stored: every channel on by default, partial all-or-nothing updates, security email locked on.
 */
const { client } = inboxApp();
afterAll(() => database.end());
// enabledChannels takes the worker's drizzle database; node-postgres runs the same query builder.
const db = drizzle(database, { schema }) as unknown as Queryable;

type State = { categories: CategoryPreferences[] };
const get = (as?: Principal) => client.request<State>("GET", "/api/notifications/preferences", as ? { as } : {});
const put = (as: Principal | undefined, body: unknown) =>
  client.request<State>("PUT", "/api/notifications/preferences", { body, ...(as ? { as } : {}) });

/** The state as `category/channel` → enabled (locked ones marked with a !). */
const flat = (state: State) =>
  Object.fromEntries(
    state.categories.flatMap((category) =>
      category.channels.map((channel) => [
        `${category.category}/${channel.channel}${channel.locked ? "!" : ""}`,
        channel.enabled,
      ]),
    ),
  );

const allOn = {
  "security/email!": true,
  "security/push": true,
  "security/in_app": true,
  "purchases/email": true,
  "purchases/push": true,
  "purchases/in_app": true,
  "subscriptions/email": true,
  "subscriptions/push": true,
  "subscriptions/in_app": true,
  "learning/email": true,
  "learning/push": true,
  "learning/in_app": true,
  "onboarding/email": true,
  "onboarding/push": true,
  "onboarding/in_app": true,
};

describe("preferences", () => {
  it("are all on by default, security email locked, each category described", async () => {
    const me = principal();
    const state = await get(me);
    expect(state.status).toBe(200);
    expect(state.headers.get("cache-control")).toBe("private, no-store");
    expect(flat(state.body)).toEqual(allOn);
    for (const category of state.body.categories) expect(category.description).not.toBe("");
    expect(await enabledChannels(db, me.userId, "learning")).toEqual(new Set(["email", "push", "in_app"]));
  });

  it("a partial update changes only what it lists, answers the full state, and delivery sees it", async () => {
    const me = principal();
    const changed = await put(me, {
      preferences: [
        { category: "learning", channel: "email", enabled: false },
        { category: "onboarding", channel: "push", enabled: false },
      ],
    });
    expect(changed.status).toBe(200);
    expect(flat(changed.body)).toEqual({ ...allOn, "learning/email": false, "onboarding/push": false });
    expect(flat((await get(me)).body)).toEqual(flat(changed.body));
    expect(await enabledChannels(db, me.userId, "learning")).toEqual(new Set(["push", "in_app"]));

    // Turned on again, and one more off: the earlier change to onboarding stays.
    const again = await put(me, {
      preferences: [
        { category: "learning", channel: "email", enabled: true },
        { category: "purchases", channel: "in_app", enabled: false },
      ],
    });
    expect(flat(again.body)).toEqual({ ...allOn, "onboarding/push": false, "purchases/in_app": false });
    // Another person is untouched.
    expect(flat((await get(principal())).body)).toEqual(allOn);
  });

  it("an unknown category or channel is a 400 naming it, and nothing of the request is written", async () => {
    const me = principal();
    const refused = await put(me, {
      preferences: [
        { category: "learning", channel: "email", enabled: false },
        { category: "marketing", channel: "email", enabled: false },
        { category: "learning", channel: "pigeon", enabled: false },
      ],
    });
    expect(refused.status).toBe(400);
    const problem = refused.body as unknown as ProblemDetails;
    expect(problem.type).toBe("/problems/validation-failed");
    expect(problem.errors).toEqual([
      { path: "json.preferences.1.category", message: 'unknown category "marketing"' },
      { path: "json.preferences.2.channel", message: 'unknown channel "pigeon"' },
    ]);
    expect(await storedPreferences(me.userId)).toEqual([]);
  });

  it("turning security email off is refused with 422, and nothing of the request is written", async () => {
    const me = principal();
    const refused = await put(me, {
      preferences: [
        { category: "purchases", channel: "email", enabled: false },
        { category: "security", channel: "email", enabled: false },
      ],
    });
    expect(refused.status).toBe(422);
    expect((refused.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual([
      "json.preferences.1.enabled",
    ]);
    expect(await storedPreferences(me.userId)).toEqual([]);
    // Saying it stays on is fine; other security channels may be turned off.
    const allowed = await put(me, {
      preferences: [
        { category: "security", channel: "email", enabled: true },
        { category: "security", channel: "push", enabled: false },
      ],
    });
    expect(allowed.status).toBe(200);
    expect(flat(allowed.body)).toMatchObject({ "security/email!": true, "security/push": false });
    expect(await enabledChannels(db, me.userId, "security")).toEqual(new Set(["email", "in_app"]));
  });

  it("refuses duplicates, more than 15 entries and a malformed body", async () => {
    const me = principal();
    const duplicate = await put(me, {
      preferences: [
        { category: "learning", channel: "email", enabled: false },
        { category: "learning", channel: "email", enabled: true },
      ],
    });
    expect(duplicate.status).toBe(400);
    expect((duplicate.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual([
      "json.preferences.1",
    ]);
    const many = Array.from({ length: 16 }, () => ({ category: "learning", channel: "email", enabled: false }));
    expect((await put(me, { preferences: many })).status).toBe(400);
    expect((await put(me, { preferences: [{ category: "learning", channel: "email" }] })).status).toBe(400);
    expect((await put(me, "{not json")).status).toBe(400);
    expect(await storedPreferences(me.userId)).toEqual([]);
  });

  it("anonymous callers are told to sign in, before the body is looked at", async () => {
    expect((await get()).status).toBe(401);
    expect((await put(undefined, { preferences: [{ category: "marketing" }] })).status).toBe(401);
  });
});
