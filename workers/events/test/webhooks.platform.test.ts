import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { triggerCron } from "@platform/dev-stack";
import { api, gatewayUrl, registerAndLogin } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo } from "../../../test/support/mailbox.ts";
import { admin, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { startWebhookReceiver, type Received, type WebhookReceiver } from "./support/webhook-receiver.ts";

/**
 * Outbound webhooks on the running platform (issue 18): an integrator's API key subscribes a
 * receiver through the gateway; a person signing up reaches it as a signed USER_CREATED, through
 * the outbox, the Queue and the router, verified by the Standard Webhooks reference library; the
 * delivery log and a manual redelivery; an endpoint that keeps failing is retried by the gateway's
 * cron, disabled, its owner told by mail, and sent nothing more. The rules case by case are
 * webhooks.routes.test.ts. (The stack runs with 1 s retries: test/setup/platform.ts.)
 */
let owner: Person;
let ownerEmail: string;
let key: string;
let healthy: WebhookReceiver;
let failing: WebhookReceiver;

interface Endpoint {
  readonly id: string;
  readonly enabled: boolean;
  readonly secret: string;
  readonly disabledReason: string | null;
}

const withKey = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T>(method, path, { headers: { authorization: `Bearer ${key}` }, ...(body !== undefined && { body }) });

async function subscribe(url: string): Promise<Endpoint> {
  const made = await withKey<Endpoint>("POST", "/api/events/webhooks", {
    url,
    eventTypes: ["USER_CREATED"],
    description: "platform test",
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body;
}

const about = (receiver: WebhookReceiver, userId: string): Received[] =>
  receiver.received.filter(
    (request) => (JSON.parse(request.body) as { data: { userId: string } }).data.userId === userId,
  );

const endpoints: string[] = [];
beforeAll(async () => {
  owner = await admin("webhooks-owner");
  const { rows } = await db.query<{ email: string }>("select email from auth.accounts where id = $1", [owner.userId]);
  ownerEmail = rows[0]?.email ?? "";
  const made = await api<{ key: string }>("POST", "/api/auth/api-keys", {
    token: owner.token,
    body: { name: "webhooks", scopes: ["webhooks:manage", "events:read"] },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  key = made.body.key;
  [healthy, failing] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
});
afterAll(async () => {
  // Every other test file signs people up: endpoints left behind would keep collecting deliveries.
  for (const id of endpoints) await withKey("DELETE", `/api/events/webhooks/${id}`);
  await Promise.all([healthy?.close(), failing?.close()]);
});

describe("outbound webhooks", () => {
  it("delivers a sign-up to a subscribed receiver, signed; the log shows it; a redelivery carries the same id", async () => {
    const endpoint = await subscribe(healthy.url);
    endpoints.push(endpoint.id);
    const person = await registerAndLogin("webhook-subject");

    await expect.poll(() => about(healthy, person.userId).length, ASYNC_EFFECTS).toBe(1);
    const [request] = about(healthy, person.userId);
    const verified = new Webhook(endpoint.secret).verify(
      request?.body ?? "",
      request?.headers as Record<string, string>,
    ) as { type: string; data: Record<string, unknown>; eventId: string };
    expect(verified.type).toBe("USER_CREATED");
    expect(verified.data).toMatchObject({ userId: person.userId, email: person.email });
    const deliveryId = String(request?.headers["webhook-id"]);

    const log = await withKey<{ items: { id: string; eventId: string; status: string }[] }>(
      "GET",
      `/api/events/webhooks/${endpoint.id}/deliveries?eventType=USER_CREATED`,
    );
    expect(log.status).toBe(200);
    expect(log.body.items.find((item) => item.id === deliveryId)).toMatchObject({
      eventId: verified.eventId,
      status: "succeeded",
    });

    const again = await withKey("POST", `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}/redeliver`);
    expect(again.status).toBe(202);
    await expect.poll(() => about(healthy, person.userId).length, ASYNC_EFFECTS).toBe(2);
    expect(about(healthy, person.userId).map((sent) => sent.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
    await expect
      .poll(async () => {
        const read = await withKey<{ attemptLog: { trigger: string }[] }>(
          "GET",
          `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}`,
        );
        return read.body.attemptLog.map((attempt) => attempt.trigger);
      }, ASYNC_EFFECTS)
      .toEqual(["scheduled", "manual"]);
  });

  it("retries a failing receiver on the cron, disables it when its retries are spent, tells its owner, and sends it nothing more", async () => {
    failing.answerWith([500]);
    const endpoint = await subscribe(failing.url);
    endpoints.push(endpoint.id);
    const person = await registerAndLogin("webhook-failing");
    await expect.poll(() => about(failing, person.userId).length, ASYNC_EFFECTS).toBeGreaterThanOrEqual(1);

    // The retries come from the gateway's minute cron (1 s apart on the test stack): run it until disabled.
    await expect
      .poll(
        async () => {
          await triggerCron(gatewayUrl, "* * * * *");
          return (await withKey<Endpoint>("GET", `/api/events/webhooks/${endpoint.id}`)).body.enabled;
        },
        { timeout: 30_000, interval: 1_100 },
      )
      .toBe(false);
    // That event was tried again by the cron, each time with the same webhook-id, and given up with the
    // endpoint; its log has every attempt the receiver saw (four, unless a late event from an earlier file
    // used up its retries first and disabled the endpoint sooner: the exact count is the routes test's).
    const attempts = about(failing, person.userId);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    const deliveryIds = new Set(attempts.map((sent) => String(sent.headers["webhook-id"])));
    expect(deliveryIds.size).toBe(1);
    const [deliveryId] = deliveryIds;
    const delivery = await withKey<{ status: string; attemptLog: { status: number }[] }>(
      "GET",
      `/api/events/webhooks/${endpoint.id}/deliveries/${deliveryId}`,
    );
    expect(delivery.body.status).toBe("failed");
    expect(delivery.body.attemptLog.map((attempt) => attempt.status)).toEqual(attempts.map(() => 500));
    const read = await withKey<Endpoint>("GET", `/api/events/webhooks/${endpoint.id}`);
    expect(read.body.disabledReason).toContain("500");

    // Its owner is told by mail, which names the endpoint.
    await expect
      .poll(async () => (await mailTo(ownerEmail)).filter((mail) => mail.text.includes(failing.url)).length, {
        ...ASYNC_EFFECTS,
        timeout: 30_000,
      })
      .toBe(1);

    // Disabled: the next sign-up reaches the healthy endpoint and not this one.
    const later = await registerAndLogin("webhook-after-disable");
    await expect.poll(() => about(healthy, later.userId).length, ASYNC_EFFECTS).toBe(1);
    await triggerCron(gatewayUrl, "* * * * *");
    expect(about(failing, later.userId)).toEqual([]);
  });

  it("refuses a key without webhooks:manage, and a learner", async () => {
    const made = await api<{ key: string }>("POST", "/api/auth/api-keys", {
      token: owner.token,
      body: { name: "feed only", scopes: ["events:read"] },
    });
    const refused = await api("GET", "/api/events/webhooks", {
      headers: { authorization: `Bearer ${made.body.key}` },
    });
    expect(refused.status).toBe(403);
    const person = await registerAndLogin("webhook-learner");
    const asLearner = await api("GET", "/api/events/webhooks", { token: person.tokens.accessToken });
    expect(asLearner.status).toBe(403);
  });
});
