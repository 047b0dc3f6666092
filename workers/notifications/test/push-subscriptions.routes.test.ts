import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { openDatabase } from "@platform/db";
import type { ProblemDetails } from "@platform/http-kit";
import { databaseBindings, inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { encodeBase64Url } from "../src/push/base64url.ts";
import {
  MAX_SUBSCRIPTIONS_PER_USER,
  markPushSuccess,
  pushTargetById,
  pushTargetsOf,
  removeSubscription,
} from "../src/push/subscriptions.ts";
import { testSubscriber, testVapidPrivateKey, the } from "./support/push-subscriber.ts";

/**
 * The push subscription routes and the VAPID public key, in-process against the real notifications schema:
 * what is refused (and that nothing is written then), who may touch which subscription, and the helpers the
 * delivery pipeline uses.
 */

const vapidSecret = testVapidPrivateKey();
const client = inProcess(app, {
  VAPID_PRIVATE_KEY: vapidSecret,
  PUBLIC_ORIGIN: "https://learn.example.com",
  PUSH_INSECURE_HOSTS: "127.0.0.1, [::1]",
});
const unconfigured = inProcess(app, {});
const database = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const { db, close } = openDatabase(databaseBindings(), schema);
afterAll(async () => {
  await close();
  await database.end();
});

const PATH = "/api/notifications/push-subscriptions";
let endpoints = 0;
const newEndpoint = () => `https://push.example.net/wpush/v2/${Date.now()}-${++endpoints}`;

/** What a browser posts: `PushSubscription.toJSON()` of a fresh subscription. */
function browserSubscription(endpoint = newEndpoint()) {
  return { endpoint, expirationTime: null, keys: testSubscriber().keys };
}

interface Stored {
  id: string;
  endpoint: string;
  createdAt: string;
}

const subscribe = (as: Principal | undefined, body: unknown, headers?: Record<string, string>) =>
  client.request<Stored>("POST", PATH, { ...(as && { as }), body, ...(headers && { headers }) });

const fieldPaths = (body: unknown) => ((body as ProblemDetails).errors ?? []).map((error) => error.path);

async function rowsOf(userId: string) {
  const { rows } = await database.query<{
    id: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    user_agent: string | null;
  }>(
    "select id, endpoint, p256dh, auth, user_agent from notifications.push_subscriptions where user_id = $1 order by created_at, id",
    [userId],
  );
  return rows;
}

describe("bad input answers 400 naming the field, and nothing is written", () => {
  const learner = principal("learner");
  const good = browserSubscription();
  const withKeys = (keys: Record<string, unknown>) => ({ ...good, keys: { ...good.keys, ...keys } });

  it.each([
    ["an http endpoint", { ...good, endpoint: "http://push.example.net/wpush/1" }, "json.endpoint"],
    ["an endpoint that is no URL", { ...good, endpoint: "push.example.net/wpush/1" }, "json.endpoint"],
    ["an ftp endpoint", { ...good, endpoint: "ftp://push.example.net/1" }, "json.endpoint"],
    ["an https endpoint on an address", { ...good, endpoint: "https://10.0.0.7/push" }, "json.endpoint"],
    ["an https endpoint on localhost", { ...good, endpoint: "https://localhost:8443/push" }, "json.endpoint"],
    ["an endpoint with credentials", { ...good, endpoint: "https://u:p@push.example.net/1" }, "json.endpoint"],
    ["a 64-byte p256dh", withKeys({ p256dh: encodeBase64Url(new Uint8Array(64).fill(4)) }), "json.keys.p256dh"],
    [
      "a compressed p256dh (33 bytes)",
      withKeys({ p256dh: encodeBase64Url(new Uint8Array(33).fill(2)) }),
      "json.keys.p256dh",
    ],
    ["a p256dh off the curve", withKeys({ p256dh: encodeBase64Url(new Uint8Array(65).fill(4)) }), "json.keys.p256dh"],
    ["a p256dh that is not base64url", withKeys({ p256dh: `${good.keys.p256dh.slice(0, -2)}+/` }), "json.keys.p256dh"],
    ["a missing auth", { ...good, keys: { p256dh: good.keys.p256dh } }, "json.keys.auth"],
    ["a 15-byte auth", withKeys({ auth: encodeBase64Url(new Uint8Array(15)) }), "json.keys.auth"],
    ["an auth that is not base64url", withKeys({ auth: "not base64!" }), "json.keys.auth"],
    ["no keys", { endpoint: good.endpoint }, "json.keys"],
  ])("%s", async (_case, body, path) => {
    const refused = await subscribe(learner, body);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(fieldPaths(refused.body)).toEqual([path]);
    expect(await rowsOf(learner.userId)).toEqual([]);
  });

  it("a body that is not JSON", async () => {
    expect((await subscribe(learner, "{not json")).status).toBe(400);
    expect(await rowsOf(learner.userId)).toEqual([]);
  });
});

describe("who may call", () => {
  it("anonymous callers get 401 before their body is looked at, on both routes", async () => {
    const post = await subscribe(undefined, { endpoint: "http://nope" });
    expect(post.status).toBe(401);
    expect(fieldPaths(post.body)).toEqual([]);
    const remove = await client.request("DELETE", PATH, { body: { endpoint: newEndpoint() } });
    expect(remove.status).toBe(401);
  });
});

describe("subscribing", () => {
  it("stores the subscription (201), and the same endpoint again refreshes its keys (200, same id)", async () => {
    const learner = principal("learner");
    const first = browserSubscription();
    const created = await subscribe(learner, first, { "user-agent": "Firefox/150" });
    expect(created.status).toBe(201);
    expect(created.body.endpoint).toBe(first.endpoint);
    expect(await rowsOf(learner.userId)).toEqual([
      { id: created.body.id, endpoint: first.endpoint, ...first.keys, user_agent: "Firefox/150" },
    ]);

    const renewed = { ...first, keys: testSubscriber().keys };
    const again = await subscribe(learner, renewed);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(await rowsOf(learner.userId)).toEqual([
      { id: created.body.id, endpoint: first.endpoint, ...renewed.keys, user_agent: null },
    ]);
  });

  it("the same endpoint posted by someone else moves to them (201); the first owner keeps nothing", async () => {
    const [alice, bob] = [principal("learner"), principal("learner")];
    const shared = browserSubscription();
    expect((await subscribe(alice, shared)).status).toBe(201);
    const taken = await subscribe(bob, { ...shared, keys: testSubscriber().keys });
    expect(taken.status).toBe(201);
    expect(await rowsOf(alice.userId)).toEqual([]);
    expect((await rowsOf(bob.userId)).map((row) => row.endpoint)).toEqual([shared.endpoint]);
  });

  it("plain http is accepted for a host in PUSH_INSECURE_HOSTS (tests, the local stack) and for no other", async () => {
    const learner = principal("learner");
    expect((await subscribe(learner, browserSubscription("http://127.0.0.1:9/push/a"))).status).toBe(201);
    expect((await subscribe(learner, browserSubscription("http://[::1]:9/push/b"))).status).toBe(201);
    expect((await subscribe(learner, browserSubscription("http://127.0.0.2:9/push/c"))).status).toBe(400);
    const elsewhere = inProcess(app, {});
    expect(
      (await elsewhere.request("POST", PATH, { as: learner, body: browserSubscription("http://127.0.0.1:9/push/d") }))
        .status,
    ).toBe(400);
  });

  it(`keeps at most ${MAX_SUBSCRIPTIONS_PER_USER} per person: the one longest without a delivered message goes`, async () => {
    const learner = principal("learner");
    const ids: string[] = [];
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_USER; i++)
      ids.push((await subscribe(learner, browserSubscription())).body.id);
    // The oldest one just delivered a message, so the second oldest is now the stalest.
    await markPushSuccess(db, the(ids[0]));
    const newest = await subscribe(learner, browserSubscription());
    expect(newest.status).toBe(201);
    const kept = (await rowsOf(learner.userId)).map((row) => row.id);
    expect(kept).toHaveLength(MAX_SUBSCRIPTIONS_PER_USER);
    expect(kept).toContain(newest.body.id);
    expect(kept).toContain(ids[0]);
    expect(kept).not.toContain(ids[1]);
  });
});

describe("unsubscribing", () => {
  it("removes the caller's own subscription (204), named in the body or in the query; then 404", async () => {
    const learner = principal("learner");
    const [one, two] = [browserSubscription(), browserSubscription()];
    await subscribe(learner, one);
    await subscribe(learner, two);

    expect((await client.request("DELETE", PATH, { as: learner, body: { endpoint: one.endpoint } })).status).toBe(204);
    const query = `${PATH}?endpoint=${encodeURIComponent(two.endpoint)}`;
    expect((await client.request("DELETE", query, { as: learner })).status).toBe(204);
    expect(await rowsOf(learner.userId)).toEqual([]);

    const again = await client.request("DELETE", PATH, { as: learner, body: { endpoint: one.endpoint } });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
  });

  it("someone else's subscription answers 404 exactly like an unknown one, and stays", async () => {
    const [owner, stranger] = [principal("learner"), principal("learner")];
    const theirs = browserSubscription();
    await subscribe(owner, theirs);

    const refused = await client.request<ProblemDetails>("DELETE", PATH, {
      as: stranger,
      body: { endpoint: theirs.endpoint },
    });
    const unknown = await client.request<ProblemDetails>("DELETE", PATH, {
      as: stranger,
      body: { endpoint: newEndpoint() },
    });
    expect(refused.status).toBe(404);
    expect({ ...refused.body, correlationId: null }).toEqual({ ...unknown.body, correlationId: null });
    expect((await rowsOf(owner.userId)).map((row) => row.endpoint)).toEqual([theirs.endpoint]);
  });

  it("no endpoint at all, or one that is not a URL, answers 400", async () => {
    const learner = principal("learner");
    expect(fieldPaths((await client.request("DELETE", PATH, { as: learner })).body)).toEqual(["json.endpoint"]);
    expect(
      fieldPaths((await client.request("DELETE", PATH, { as: learner, body: { endpoint: "nope" } })).body),
    ).toEqual(["json.endpoint"]);
  });
});

describe("the VAPID public key", () => {
  it("is served to anyone, cacheable: the uncompressed point of the configured key", async () => {
    const answer = await client.request<{ publicKey: string }>("GET", "/api/notifications/push/public-key");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=3600");
    const jwk = JSON.parse(vapidSecret) as { x: string; y: string };
    const point = Buffer.from(answer.body.publicKey, "base64url");
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(0x04);
    expect(point.subarray(1, 33).toString("base64url")).toBe(jwk.x);
    expect(point.subarray(33).toString("base64url")).toBe(jwk.y);
  });

  it("answers 404 when Web Push is not configured", async () => {
    const answer = await unconfigured.request<ProblemDetails>("GET", "/api/notifications/push/public-key");
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("the OpenAPI document", () => {
  it("describes the three routes, who may call them and their answers", async () => {
    const document = await client.request<{
      paths: Record<string, Record<string, { responses: object; security?: object }>>;
    }>("GET", "/openapi.json");
    expect(document.status).toBe(200);
    const subscriptions = the(document.body.paths[PATH]);
    expect(Object.keys(the(subscriptions.post).responses)).toEqual(
      expect.arrayContaining(["200", "201", "400", "401"]),
    );
    expect(Object.keys(the(subscriptions.delete).responses)).toEqual(
      expect.arrayContaining(["204", "400", "401", "404"]),
    );
    expect(subscriptions.post?.security).toBeDefined();
    const publicKey = the(document.body.paths["/api/notifications/push/public-key"]?.get);
    expect(publicKey.security).toBeUndefined();
  });
});

describe("what the delivery pipeline uses", () => {
  it("pushTargetsOf lists a person's subscriptions with their keys; removeSubscription drops one for good", async () => {
    const learner = principal("learner");
    const [one, two] = [browserSubscription(), browserSubscription()];
    const first = (await subscribe(learner, one)).body;
    await subscribe(learner, two);
    await subscribe(principal("learner"), browserSubscription());

    const targets = await pushTargetsOf(db, learner.userId);
    expect(targets).toEqual([
      { id: first.id, endpoint: one.endpoint, ...one.keys },
      { id: expect.any(String), endpoint: two.endpoint, ...two.keys },
    ]);
    expect(await pushTargetById(db, first.id)).toEqual(targets[0]);

    await removeSubscription(db, first.id);
    expect((await pushTargetsOf(db, learner.userId)).map((target) => target.endpoint)).toEqual([two.endpoint]);
    expect(await pushTargetById(db, first.id)).toBeNull();
  });

  it("markPushSuccess records when the subscription last took a message", async () => {
    const learner = principal("learner");
    const { id } = (await subscribe(learner, browserSubscription())).body;
    await markPushSuccess(db, id);
    const { rows } = await database.query<{ last_success_at: Date | null }>(
      "select last_success_at from notifications.push_subscriptions where id = $1",
      [id],
    );
    expect(rows[0]?.last_success_at).toBeInstanceOf(Date);
  });
});
