import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMailbox, type TestMailbox } from "@platform/test-mailbox";
import { buildEvent, type PlatformEvent } from "@platform/events";
import { recordAccountMail } from "../src/account-mail.ts";
import { consumeEvent } from "../src/consumer/consume-event.ts";
import { deliverDue } from "../src/delivery/deliver.ts";
import { channelSenders } from "../src/delivery/senders.ts";
import type { DeliverySettings } from "../src/delivery/settings.ts";
import { encodeBase64Url } from "../src/push/base64url.ts";
import { nodeSocketConnector } from "../../../test/support/node-socket.ts";
import { notificationsDatabase } from "./support/database.ts";
import { notificationsEnv, vapidPrivateKey } from "./support/delivery-env.ts";
import { standIns } from "./support/stand-ins.ts";

/**
 * The delivery pipeline against a real SMTP server (the test mailbox, in this process, reached through node:net
 * by the worker's own SMTP client), a real push endpoint on loopback, and the real schema: retries with backoff,
 * permanent refusals, the log and its NOTIFICATION_SENT, concurrent sweeps, in-app notices to live hubs.
 * The clock is passed in, so "an hour later" needs no waiting.
 */
const database = notificationsDatabase();
const { db, admin } = database;
const services = standIns();
let mailbox: TestMailbox;
let senders: ReturnType<typeof channelSenders>;
const settings: DeliverySettings = { retryBaseSeconds: 60, maxAttempts: 8 };

beforeAll(async () => {
  mailbox = await startTestMailbox();
  const env = notificationsEnv(services, {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(mailbox.smtpPort),
    VAPID_PRIVATE_KEY: await vapidPrivateKey(),
  });
  senders = channelSenders(env, { connect: nodeSocketConnector() });
});
afterAll(async () => {
  await mailbox.stop();
  await database.close();
});

const mailsTo = (address: string) => mailbox.messages.filter((mail) => mail.envelope.to.includes(address));
const deliveryRow = async (id: string) =>
  (await admin.query("select * from notifications.deliveries where id = $1", [id])).rows[0];
const sentEvents = async (deliveryId: string) =>
  (
    await admin.query<{ envelope: { type: string; data: Record<string, unknown> } }>(
      "select envelope from notifications.outbox where envelope->'data'->>'notificationId' = $1",
      [deliveryId],
    )
  ).rows.map((row) => row.envelope);

/** An account mail recorded for a new person, as auth's `sendAccountMail` records it. */
async function accountMail(to = `person-${uuidv7()}@example.com`) {
  const { userId } = services.person({ email: to });
  const recorded = await recordAccountMail(db, services.USERS, {
    userId,
    to,
    mail: { template: "password-changed", data: { changedAt: new Date().toISOString() } },
  });
  if (!recorded.ok) throw new Error(recorded.reason);
  return { userId, to, id: recorded.value.deliveryId };
}

const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

describe("email over SMTP", () => {
  it("sent at once: the mail arrives once, the row is sent with the server's queue id, NOTIFICATION_SENT is in the outbox", async () => {
    const { userId, to, id } = await accountMail();
    const now = new Date();
    expect(await deliverDue(db, senders, settings, { now, ids: [id] })).toEqual({
      attempted: 1,
      sent: 1,
      failed: 0,
      rescheduled: 0,
    });
    const [mail] = mailsTo(to);
    expect(mailsTo(to)).toHaveLength(1);
    expect(mail?.messageId).toBe(`<${id}@learn.example.com>`);
    expect(mail?.from).toContain("no-reply@learn.example.com");
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, provider_id: mail?.id, last_error: null });
    expect(row.sent_at.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(row.sent_at.getTime()).toBeLessThanOrEqual(Date.now());
    const events = await sentEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "NOTIFICATION_SENT",
      data: { notificationId: id, userId, channel: "email", template: "password-changed", causedBy: null },
    });
  });

  it("451 twice, then accepted: retried after 60 s and 120 s, sent on the third attempt, one mail", async () => {
    const { to, id } = await accountMail();
    mailbox.refuse({ stage: "rcpt", address: to, code: 451, message: "try again later", times: 2 });
    // A clock a little ahead, so each retry counts from exactly the sweep's time.
    const t0 = later(new Date(), 30);

    expect((await deliverDue(db, senders, settings, { now: t0, ids: [id] })).rescheduled).toBe(1);
    let row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.last_error).toMatch(/451/);
    expect(row.next_attempt_at.getTime()).toBe(later(t0, 60).getTime());

    // Not due yet: nobody touches it.
    expect((await deliverDue(db, senders, settings, { now: later(t0, 59), ids: [id] })).attempted).toBe(0);

    const t1 = later(t0, 60);
    expect((await deliverDue(db, senders, settings, { now: t1, ids: [id] })).rescheduled).toBe(1);
    row = await deliveryRow(id);
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at.getTime()).toBe(later(t1, 120).getTime());

    const t2 = later(t1, 120);
    expect((await deliverDue(db, senders, settings, { now: t2, ids: [id] })).sent).toBe(1);
    row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
    expect(mailsTo(to)).toHaveLength(1);
    expect(await sentEvents(id)).toHaveLength(1);
  });

  it("550: failed after one attempt with the reason, never tried again, nothing announced", async () => {
    const { to, id } = await accountMail();
    mailbox.refuse({ stage: "rcpt", address: to, code: 550, message: "no such mailbox" });
    const now = new Date();
    expect((await deliverDue(db, senders, settings, { now, ids: [id] })).failed).toBe(1);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.last_error).toMatch(/550/);
    expect((await deliverDue(db, senders, settings, { now: later(now, 86_400), ids: [id] })).attempted).toBe(0);
    expect(mailsTo(to)).toHaveLength(0);
    expect(await sentEvents(id)).toEqual([]);
  });

  it("refused for now every time: failed once the attempts are spent", async () => {
    const { to, id } = await accountMail();
    mailbox.refuse({ stage: "rcpt", address: to, code: 421, message: "busy" });
    const few: DeliverySettings = { retryBaseSeconds: 1, maxAttempts: 3 };
    let now = new Date();
    const outcomes = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      outcomes.push(await deliverDue(db, senders, few, { now, ids: [id] }));
      now = later(now, 3_600);
    }
    expect(outcomes.map((report) => [report.rescheduled, report.failed])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(await deliveryRow(id)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("two sweeps at once: each due delivery is claimed by one of them and each mail sent once", async () => {
    const mails = await Promise.all(Array.from({ length: 6 }, () => accountMail()));
    const ids = mails.map((mail) => mail.id);
    const now = new Date();
    const [a, b] = await Promise.all([
      deliverDue(db, senders, settings, { now, ids }),
      deliverDue(db, senders, settings, { now, ids }),
    ]);
    expect((a?.attempted ?? 0) + (b?.attempted ?? 0)).toBe(6);
    expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(6);
    for (const mail of mails) expect(mailsTo(mail.to)).toHaveLength(1);
    const { rows } = await admin.query("select attempts from notifications.deliveries where id = any($1)", [ids]);
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("without a mail transport, mail is failed at once with the reason", async () => {
    const { id } = await accountMail();
    const unconfigured = channelSenders(notificationsEnv(services));
    expect((await deliverDue(db, unconfigured, settings, { ids: [id] })).failed).toBe(1);
    expect(await deliveryRow(id)).toMatchObject({ status: "failed", last_error: "no mail transport configured" });
  });
});

describe("an event's deliveries, end to end through the consumer", () => {
  it("the welcome mail arrives with its unsubscribe headers; the in-app notice reaches the live hub with the unread count", async () => {
    const { userId, email } = services.person({ name: "Ada" });
    const env = notificationsEnv(services);
    const created = buildEvent(
      "USER_CREATED",
      { userId, email, name: "Ada", roles: ["learner"] },
      { source: "test", correlationId: "t" },
    ) as PlatformEvent;
    const { dueNow } = await consumeEvent(db, env, created);
    expect(await deliverDue(db, senders, settings, { ids: dueNow })).toMatchObject({ attempted: 2, sent: 2 });

    const [mail] = mailsTo(email);
    expect(mail?.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail?.headers["list-unsubscribe"]).toMatch(
      /^<https:\/\/learn\.example\.com\/api\/notifications\/unsubscribe\?token=/,
    );
    const [notice] = await database.noticesOf(userId);
    const live = services.published.filter((entry) => entry.userId === userId);
    expect(live).toEqual([
      {
        userId,
        message: {
          type: "notification.created",
          notice: {
            id: notice?.id,
            title: notice?.title,
            body: notice?.body,
            link: notice?.link,
            createdAt: expect.any(String),
            category: "onboarding",
          },
          unread: 1,
        },
      },
    ]);
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => [row.channel, row.status])).toEqual([
      ["email", "sent"],
      ["in_app", "sent"],
    ]);
  });

  it("a notice scheduled for a subscription's end enters the inbox when it comes due, not before", async () => {
    const { userId } = services.person();
    const endsAt = new Date(Date.now() + 7 * 86_400_000);
    const canceled = buildEvent(
      "SUBSCRIPTION_CANCELED",
      { subscriptionId: uuidv7(), userId, endsAt: endsAt.toISOString() },
      { source: "test", correlationId: "t" },
    ) as PlatformEvent;
    await consumeEvent(db, notificationsEnv(services), canceled);
    const scheduled = (await database.deliveriesOf(userId))
      .filter((row) => row.template === "subscription-ended")
      .map((row) => row.id);
    expect((await deliverDue(db, senders, settings, { ids: scheduled })).attempted).toBe(0);
    expect((await database.noticesOf(userId)).map((notice) => notice.template)).toEqual(["subscription-ending"]);

    expect((await deliverDue(db, senders, settings, { now: later(endsAt, 1), ids: scheduled })).sent).toBe(2);
    expect((await database.noticesOf(userId)).map((notice) => notice.template)).toEqual([
      "subscription-ending",
      "subscription-ended",
    ]);
  });

  it("a live hub that cannot be reached: the in-app delivery is retried a few times, then failed; the notice stays", async () => {
    const { userId, email } = services.person();
    await database.mute(userId, "onboarding", "email");
    const created = buildEvent(
      "USER_CREATED",
      { userId, email, name: "Ada", roles: ["learner"] },
      { source: "test", correlationId: "t" },
    ) as PlatformEvent;
    const { dueNow } = await consumeEvent(db, notificationsEnv(services), created);
    services.down.progress = true;
    try {
      let now = new Date();
      for (let attempt = 0; attempt < 5; attempt++) {
        await deliverDue(db, senders, settings, { now, ids: dueNow });
        now = later(now, 86_400);
      }
    } finally {
      services.down.progress = false;
    }
    expect(await database.deliveriesOf(userId)).toMatchObject([{ channel: "in_app", status: "failed", attempts: 3 }]);
    expect(await database.noticesOf(userId)).toHaveLength(1);
  });
});

describe("Web Push", () => {
  /** A push service on loopback that answers every request with `status`, and counts them. */
  async function pushService(status: number) {
    const received: IncomingMessage[] = [];
    const server = createServer((request, response) => {
      received.push(request);
      request.resume();
      request.on("end", () => response.writeHead(status, { location: "/message/1" }).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}/push/${uuidv7()}`, received, close: () => server.close() };
  }

  async function subscriber(userId: string, endpoint: string) {
    const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const p256dh = encodeBase64Url(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
    const auth = encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const id = crypto.randomUUID();
    await admin.query(
      "insert into notifications.push_subscriptions (id, user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4, $5)",
      [id, userId, endpoint, p256dh, auth],
    );
    return id;
  }

  async function pushDelivery(status: number) {
    const service = await pushService(status);
    const { userId, email } = services.person();
    await database.mute(userId, "onboarding", "email");
    await database.mute(userId, "onboarding", "in_app");
    const subscription = await subscriber(userId, service.endpoint);
    const created = buildEvent(
      "USER_CREATED",
      { userId, email, name: "Ada", roles: ["learner"] },
      { source: "test", correlationId: "t" },
    ) as PlatformEvent;
    const { dueNow } = await consumeEvent(db, notificationsEnv(services), created);
    return { service, userId, subscription, dueNow };
  }

  const subscriptionExists = async (id: string) =>
    (await admin.query("select 1 from notifications.push_subscriptions where id = $1", [id])).rowCount === 1;

  it("accepted by the push service: sent, with its Location as the provider id", async () => {
    const { service, userId, subscription, dueNow } = await pushDelivery(201);
    try {
      expect((await deliverDue(db, senders, settings, { ids: dueNow })).sent).toBe(1);
      expect(service.received).toHaveLength(1);
      expect(service.received[0]?.headers["content-encoding"]).toBe("aes128gcm");
      expect(await database.deliveriesOf(userId)).toMatchObject([
        { channel: "push", recipient: subscription, status: "sent" },
      ]);
    } finally {
      service.close();
    }
  });

  it("410 Gone: the subscription is removed and the delivery failed", async () => {
    const { service, userId, subscription, dueNow } = await pushDelivery(410);
    try {
      expect((await deliverDue(db, senders, settings, { ids: dueNow })).failed).toBe(1);
      expect(await subscriptionExists(subscription)).toBe(false);
      expect(await database.deliveriesOf(userId)).toMatchObject([{ channel: "push", status: "failed" }]);
    } finally {
      service.close();
    }
  });

  it("503: retried later", async () => {
    const { service, userId, subscription, dueNow } = await pushDelivery(503);
    try {
      expect((await deliverDue(db, senders, settings, { ids: dueNow })).rescheduled).toBe(1);
      expect(await subscriptionExists(subscription)).toBe(true);
      expect(await database.deliveriesOf(userId)).toMatchObject([{ channel: "push", status: "pending", attempts: 1 }]);
    } finally {
      service.close();
    }
  });
});
