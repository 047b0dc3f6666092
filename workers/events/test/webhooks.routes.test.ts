import { randomBytes } from "node:crypto";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { buildEvent, type PlatformEvent } from "@platform/events";
import { PRINCIPAL_API_KEY_HEADER, PRINCIPAL_SCOPES_HEADER } from "@platform/http-kit";
import { databaseBindings, inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import type { EventsBindings } from "../src/env.ts";
import { applyUserDeleted } from "../src/erasure.ts";
import { appendToFeed } from "../src/event-feed.ts";
import { deliverDueWebhooks } from "../src/webhooks/deliver.ts";
import { pruneWebhookDeliveries } from "../src/webhooks/retention.ts";
import { webhookSettings } from "../src/webhooks/settings.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.ts";

/**
 * Outbound webhooks in-process against the real events schema and a real HTTP receiver on loopback:
 * the endpoint routes and their refusals (SSRF in production, scopes, bad input), deliveries signed
 * as Standard Webhooks and verified by its reference library, retries until success (exactly one
 * more), an endpoint that keeps failing disabled with its owner's event written, and the delivery
 * log with manual redelivery. Through the Queue on the running stack: webhooks.platform.test.ts.
 */
const SECRETS_KEY = randomBytes(32).toString("base64");
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;

/** As `npm start` and the tests run it: loopback receivers allowed, retries at once. */
const localEnv = {
  EVENTS_QUEUE: recordingQueue(),
  WEBHOOK_SECRETS_KEY: SECRETS_KEY,
  WEBHOOK_INSECURE_HOSTS: "127.0.0.1",
  WEBHOOK_RETRY_SCHEDULE: "0,0,0",
  WEBHOOK_TIMEOUT_MS: "2000",
};
const local = inProcess(app, localEnv);
/** As production runs it: no insecure hosts. */
const production = inProcess(app, { EVENTS_QUEUE: recordingQueue(), WEBHOOK_SECRETS_KEY: SECRETS_KEY });
const settings = webhookSettings({ ...databaseBindings(), ...localEnv } as unknown as EventsBindings);
const admin = principal("admin");

let receiver: WebhookReceiver;
const created: string[] = [];
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  // Other files append events to the same feed: endpoints left behind would collect deliveries.
  for (const id of created) await local.request("DELETE", `/api/events/webhooks/${id}`, { as: admin });
  await receiver.close();
  await database.close();
  await pool.end();
});

interface Endpoint {
  readonly id: string;
  readonly url: string;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly failingSince: string | null;
  readonly secret?: string;
}

async function subscribe(eventTypes: string[], url = receiver.url): Promise<Endpoint & { secret: string }> {
  const answer = await local.request<Endpoint & { secret: string }>("POST", "/api/events/webhooks", {
    as: admin,
    body: { url, eventTypes, description: "routes test" },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  created.push(answer.body.id);
  return answer.body;
}

const completedBy = (userId: string) =>
  buildEvent(
    "COURSE_COMPLETED",
    { userId, courseId: uuidv7(), completedAt: new Date().toISOString() },
    { source: "progress", correlationId: `webhooks-${uuidv7()}` },
  );

const completed = () => completedBy(uuidv7());

/** Appends events as the router does, and answers the deliveries it made for the given endpoint. */
async function routed(events: PlatformEvent[], endpointId: string): Promise<string[]> {
  const { webhookDeliveryIds } = await appendToFeed(db, events);
  const { rows } = await pool.query<{ id: string }>(
    "select id from events.webhook_deliveries where endpoint_id = $1 and id = any($2::uuid[]) order by id",
    [endpointId, [...webhookDeliveryIds]],
  );
  return rows.map((row) => row.id);
}

async function deliveryRow(id: string) {
  const { rows } = await pool.query<{ status: string; attempts: number; last_status: number | null }>(
    "select status, attempts, last_status from events.webhook_deliveries where id = $1",
    [id],
  );
  return rows[0];
}

describe("webhook endpoints", () => {
  it("answers the signing secret once and keeps it only sealed", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(endpoint).toMatchObject({ url: receiver.url, enabled: true, eventTypes: ["COURSE_COMPLETED"] });
    const read = await local.request<Record<string, unknown>>("GET", `/api/events/webhooks/${endpoint.id}`, {
      as: admin,
    });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("secret");
    const listed = await local.request<{ items: Record<string, unknown>[] }>("GET", "/api/events/webhooks", {
      as: admin,
    });
    expect(listed.body.items.find((item) => item.id === endpoint.id)).not.toHaveProperty("secret");
    const { rows } = await pool.query<{ secret: string }>("select secret from events.webhook_endpoints where id = $1", [
      endpoint.id,
    ]);
    expect(rows[0]?.secret).toMatch(/^v2:/);
    expect(rows[0]?.secret).not.toContain(endpoint.secret.slice("whsec_".length));
  });

  it("refuses, in production, every target that is not https on a public host, and stores none", async () => {
    const refused = [
      "https://127.0.0.1/hooks",
      receiver.url,
      "http://localhost:8080/hooks",
      "https://localhost/hooks",
      "https://10.0.0.5/hooks",
      "https://192.168.1.20/hooks",
      "https://172.20.0.1/hooks",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hooks",
      "https://[fd00::1]/hooks",
      "https://[::ffff:127.0.0.1]/hooks",
      // The URL parser reads these as 127.0.0.1: refused as what they are.
      "https://2130706433/hooks",
      "https://0x7f.1/hooks",
      "https://metadata.internal/hooks",
      "https://printer.local/hooks",
      "https://intranet/hooks",
      "http://hooks.example.com/plain-http",
      "https://user:password@hooks.example.com/",
      "ftp://hooks.example.com/",
    ];
    const before = await pool.query("select count(*)::int as n from events.webhook_endpoints");
    for (const url of refused) {
      const answer = await production.request<{ type: string; errors: { path: string }[] }>(
        "POST",
        "/api/events/webhooks",
        { as: admin, body: { url, eventTypes: ["COURSE_COMPLETED"] } },
      );
      expect({ url, status: answer.status }).toEqual({ url, status: 422 });
      expect(answer.body.errors[0]?.path).toBe("json.url");
    }
    const after = await pool.query("select count(*)::int as n from events.webhook_endpoints");
    expect(after.rows[0].n).toBe(before.rows[0].n);
    // A public https host is fine in production (nothing is sent until an event comes).
    const fine = await production.request<{ id: string }>("POST", "/api/events/webhooks", {
      as: admin,
      body: { url: "https://hooks.example.com/platform", eventTypes: ["COURSE_COMPLETED"] },
    });
    expect(fine.status).toBe(201);
    created.push(fine.body.id);
    // Changing an endpoint's URL is checked the same way.
    const moved = await production.request("PATCH", `/api/events/webhooks/${fine.body.id}`, {
      as: admin,
      body: { url: "https://127.0.0.1/hooks" },
    });
    expect(moved.status).toBe(422);
  });

  it("is for admins and keys with webhooks:manage (and events:read to subscribe); bad input is a 400", async () => {
    const body = { url: receiver.url, eventTypes: ["COURSE_COMPLETED"] };
    expect((await local.request("POST", "/api/events/webhooks", { body })).status).toBe(401);
    expect((await local.request("POST", "/api/events/webhooks", { as: principal("instructor"), body })).status).toBe(
      403,
    );
    const key = (scopes: string) => ({
      as: admin,
      body,
      headers: { [PRINCIPAL_API_KEY_HEADER]: uuidv7(), [PRINCIPAL_SCOPES_HEADER]: scopes },
    });
    expect((await local.request("POST", "/api/events/webhooks", key("events:read"))).status).toBe(403);
    const withoutRead = await local.request<{ detail: string }>("POST", "/api/events/webhooks", key("webhooks:manage"));
    expect(withoutRead.status).toBe(403);
    expect(withoutRead.body.detail).toContain("events:read");
    const byKey = await local.request<{ id: string }>(
      "POST",
      "/api/events/webhooks",
      key("webhooks:manage,events:read"),
    );
    expect(byKey.status).toBe(201);
    created.push(byKey.body.id);

    for (const bad of [
      { url: receiver.url },
      { url: receiver.url, eventTypes: [] },
      { url: receiver.url, eventTypes: ["NOT_AN_EVENT"] },
      { eventTypes: ["COURSE_COMPLETED"] },
      { url: "x".repeat(2_001), eventTypes: ["COURSE_COMPLETED"] },
    ]) {
      const answer = await local.request("POST", "/api/events/webhooks", { as: admin, body: bad });
      expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(
      (await local.request("PATCH", `/api/events/webhooks/${byKey.body.id}`, { as: admin, body: {} })).status,
    ).toBe(400);
    expect((await local.request("GET", `/api/events/webhooks/${uuidv7()}`, { as: admin })).status).toBe(404);
    expect((await local.request("GET", "/api/events/webhooks/not-a-uuid", { as: admin })).status).toBe(400);
  });
});

describe("deliveries", () => {
  it("signs each delivery as Standard Webhooks says, and retries a failing receiver until it succeeds: exactly once more", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED"]);
    const event = completed();
    const [deliveryId] = await routed([event], endpoint.id);
    expect(deliveryId).toBeDefined();
    receiver.answerWith([500, 503, 429, 200]);
    for (let sweep = 0; sweep < 6; sweep++) await deliverDueWebhooks(db, settings, { ids: [deliveryId as string] });

    // Three failures, then the one success, and nothing after it however often the sweep runs.
    const mine = receiver.received.filter((request) => request.headers["webhook-id"] === deliveryId);
    expect(mine).toHaveLength(4);
    expect(await deliveryRow(deliveryId as string)).toMatchObject({
      status: "succeeded",
      attempts: 4,
      last_status: 200,
    });
    const verifier = new Webhook(endpoint.secret);
    for (const request of mine) {
      const verified = verifier.verify(request.body, request.headers as Record<string, string>) as Record<
        string,
        unknown
      >;
      expect(verified).toMatchObject({
        type: "COURSE_COMPLETED",
        timestamp: event.metadata.timestamp,
        data: event.data,
        eventId: event.id,
      });
    }
    // A forged body, or another endpoint's secret, does not verify.
    const [first] = mine;
    expect(() => verifier.verify(`${first?.body} `, first?.headers as Record<string, string>)).toThrow();
    const other = await subscribe(["COURSE_COMPLETED"]);
    expect(() =>
      new Webhook(other.secret).verify(first?.body ?? "", first?.headers as Record<string, string>),
    ).toThrow();

    // The log has every attempt, with what the receiver said.
    const log = await local.request<{ status: string; attemptLog: { status: number; trigger: string }[] }>(
      "GET",
      `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}`,
      { as: admin },
    );
    expect(log.body.status).toBe("succeeded");
    expect(log.body.attemptLog.map((attempt) => attempt.status)).toEqual([500, 503, 429, 200]);
  });

  it("makes a delivery only for subscribed types, once per event however often the router appends it", async () => {
    const endpoint = await subscribe(["USER_DELETED"]);
    const event = completed();
    expect(await routed([event], endpoint.id)).toEqual([]);
    const erasure = buildEvent("USER_DELETED", { userId: uuidv7() }, { source: "auth", correlationId: "webhooks" });
    expect(await routed([erasure], endpoint.id)).toHaveLength(1);
    expect(await routed([erasure], endpoint.id)).toHaveLength(0);
  });

  it("disables an endpoint that fails through its whole schedule, writes its owner's event, and sends it nothing more", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED"]);
    const [deliveryId] = await routed([completed()], endpoint.id);
    const [queued] = await routed([completed()], endpoint.id);
    receiver.answerWith([500]);
    for (let sweep = 0; sweep < 6; sweep++) await deliverDueWebhooks(db, settings, { ids: [deliveryId as string] });

    // Four attempts (the first and three retries), then given up.
    expect(receiver.received.filter((request) => request.headers["webhook-id"] === deliveryId)).toHaveLength(4);
    expect(await deliveryRow(deliveryId as string)).toMatchObject({ status: "failed", attempts: 4 });
    // The other pending delivery is given up with it, never sent.
    expect(await deliveryRow(queued as string)).toMatchObject({ status: "failed", attempts: 0 });
    const read = await local.request<Endpoint>("GET", `/api/events/webhooks/${endpoint.id}`, { as: admin });
    expect(read.body.enabled).toBe(false);
    expect(read.body.disabledReason).toContain("the receiver answered 500");

    const { rows } = await pool.query<{ type: string; envelope: { data: Record<string, unknown> } }>(
      "select type, envelope from events.outbox where type = 'WEBHOOK_ENDPOINT_DISABLED' and aggregate_id = $1",
      [endpoint.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.envelope.data).toMatchObject({ userId: admin.userId, url: receiver.url, failedDeliveries: 2 });

    // Disabled: new events make no delivery for it, and a redelivery is refused until it is enabled.
    expect(await routed([completed()], endpoint.id)).toEqual([]);
    const redeliver = `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}/redeliver`;
    expect((await local.request("POST", redeliver, { as: admin })).status).toBe(409);

    // Enabled again by an admin: the streak is forgotten, and the next event is delivered.
    const enabled = await local.request<Endpoint>("PATCH", `/api/events/webhooks/${endpoint.id}`, {
      as: admin,
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
    receiver.answerWith([204]);
    const [next] = await routed([completed()], endpoint.id);
    await deliverDueWebhooks(db, settings, { ids: [next as string] });
    expect(await deliveryRow(next as string)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("redelivers by hand with the same webhook-id, logged as manual", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED"]);
    const [deliveryId] = await routed([completed()], endpoint.id);
    receiver.answerWith([204]);
    await deliverDueWebhooks(db, settings, { ids: [deliveryId as string] });
    const path = `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}`;
    const again = await local.request<{ id: string }>("POST", `${path}/redeliver`, { as: admin });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(deliveryId);
    const log = await local.request<{ attemptLog: { trigger: string; status: number }[] }>("GET", path, { as: admin });
    expect(log.body.attemptLog).toEqual([
      expect.objectContaining({ trigger: "scheduled", status: 204 }),
      expect.objectContaining({ trigger: "manual", status: 204 }),
    ]);
    const sent = receiver.received.filter((request) => request.headers["webhook-id"] === deliveryId);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toBe(sent[0]?.body);

    const page = await local.request<{ items: { id: string; status: string }[] }>(
      "GET",
      `/api/events/webhooks/${endpoint.id}/deliveries?status=succeeded`,
      { as: admin },
    );
    expect(page.body.items.map((item) => item.id)).toEqual([deliveryId]);
    expect(
      (
        await local.request("POST", `/api/events/webhooks/${endpoint.id}/deliveries/${uuidv7()}/redeliver`, {
          as: admin,
        })
      ).status,
    ).toBe(404);
    expect(
      (await local.request("GET", `/api/events/webhooks/${endpoint.id}/deliveries?status=lost`, { as: admin })).status,
    ).toBe(400);
  });

  it("forgets deliveries about an erased person, and old settled ones after their retention", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED", "USER_DELETED"]);
    const theirs = completed();
    const someoneElse = completed();
    const [aboutThem] = await routed([theirs], endpoint.id);
    const [aboutOther] = await routed([someoneElse], endpoint.id);
    const erasure = buildEvent("USER_DELETED", { userId: theirs.data.userId }, { source: "auth", correlationId: "x" });
    await applyUserDeleted(db, erasure);
    expect(await deliveryRow(aboutThem as string)).toBeUndefined();
    expect(await deliveryRow(aboutOther as string)).toMatchObject({ status: "pending" });
    // An event about them that comes after the erasure makes no delivery either (nor a feed entry).
    expect(await routed([completedBy(theirs.data.userId)], endpoint.id)).toEqual([]);

    receiver.answerWith([204]);
    await deliverDueWebhooks(db, settings, { ids: [aboutOther as string] });
    await pool.query("update events.webhook_deliveries set created_at = now() - interval '31 days' where id = $1", [
      aboutOther,
    ]);
    expect(await pruneWebhookDeliveries(db, { retentionDays: 30 })).toBeGreaterThanOrEqual(1);
    expect(await deliveryRow(aboutOther as string)).toBeUndefined();
    const { rows } = await pool.query("select 1 from events.webhook_attempts where delivery_id = $1", [aboutOther]);
    expect(rows).toHaveLength(0);
  });

  it("rotates the signing secret: both sign during the grace, then only the new one", async () => {
    const endpoint = await subscribe(["COURSE_COMPLETED"]);
    const rotated = await local.request<{ secret: string; previousSecretValidUntil: string | null }>(
      "POST",
      `/api/events/webhooks/${endpoint.id}/secret/rotate`,
      { as: admin, body: { graceSeconds: 3600 } },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previousSecretValidUntil ?? "")).toBeGreaterThan(Date.now() + 3_500_000);

    receiver.answerWith([204]);
    const [during] = await routed([completed()], endpoint.id);
    await deliverDueWebhooks(db, settings, { ids: [during as string] });
    const [sent] = receiver.received.filter((request) => request.headers["webhook-id"] === during);
    expect(String(sent?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.body.secret]) {
      expect(new Webhook(secret).verify(sent?.body ?? "", sent?.headers as Record<string, string>)).toBeTruthy();
    }

    // Once the grace is over, only the new secret signs.
    await pool.query(
      "update events.webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = $1",
      [endpoint.id],
    );
    const [after] = await routed([completed()], endpoint.id);
    await deliverDueWebhooks(db, settings, { ids: [after as string] });
    const [later] = receiver.received.filter((request) => request.headers["webhook-id"] === after);
    expect(String(later?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(
      new Webhook(rotated.body.secret).verify(later?.body ?? "", later?.headers as Record<string, string>),
    ).toBeTruthy();
    expect(() =>
      new Webhook(endpoint.secret).verify(later?.body ?? "", later?.headers as Record<string, string>),
    ).toThrow();

    // No body: a day's grace. A grace beyond a week is refused; an unknown endpoint is a 404.
    const byDefault = await local.request<{ previousSecretValidUntil: string }>(
      "POST",
      `/api/events/webhooks/${endpoint.id}/secret/rotate`,
      { as: admin },
    );
    expect(byDefault.status).toBe(200);
    expect(Date.parse(byDefault.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(86_000_000);
    const tooLong = await local.request("POST", `/api/events/webhooks/${endpoint.id}/secret/rotate`, {
      as: admin,
      body: { graceSeconds: 8 * 86_400 },
    });
    expect(tooLong.status).toBe(400);
    expect((await local.request("POST", `/api/events/webhooks/${uuidv7()}/secret/rotate`, { as: admin })).status).toBe(
      404,
    );
  });
});
