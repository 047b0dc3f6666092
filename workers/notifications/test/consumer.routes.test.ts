import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, it } from "vitest";
import { buildEvent, type EventData, type EventType, type PlatformEvent } from "@platform/events";
import { consumeEvent, type ConsumerEnv } from "../src/consumer/consume-event.ts";
import { TemplateError } from "../src/templates/index.ts";
import { notificationsDatabase } from "./support/database.ts";
import { standIns } from "./support/stand-ins.ts";

/**
 * The consumer against the real schema (routes project's PostgreSQL): which events become which notices on which
 * channels, once per event id, by the person's preferences; what refuses to render writes nothing; erasure.
 */
const database = notificationsDatabase();
const { db, admin } = database;
afterAll(() => database.close());

const services = standIns();
const ORIGIN = "https://learn.example.com";
const env: ConsumerEnv = {
  AUTH: services.AUTH,
  USERS: services.USERS,
  COURSES: services.COURSES,
  PUBLIC_ORIGIN: ORIGIN,
  UNSUBSCRIBE_SECRET: "a-test-secret-that-is-long-enough-for-hmac-0123",
};

const event = <T extends EventType>(type: T, data: EventData<T>) =>
  buildEvent(type, data, { source: "test", correlationId: `test-${uuidv7()}` }) as PlatformEvent;

const userCreated = (userId: string, email: string, name = "Ada Lovelace") =>
  event("USER_CREATED", { userId, email, name, roles: ["learner"] });

const processed = async (eventId: string) =>
  (await admin.query("select 1 from notifications.processed_events where event_id = $1", [eventId])).rowCount;

describe("USER_CREATED: the welcome", () => {
  it("writes one in-app notice and one delivery per channel; the same event again writes nothing", async () => {
    const { userId, email } = services.person();
    const pushId = await database.subscribePush(userId);
    const created = userCreated(userId, email);

    const first = await consumeEvent(db, env, created);
    expect(first.outcome).toBe("applied");
    const second = await consumeEvent(db, env, created);
    expect(second).toEqual({ outcome: "duplicate", dueNow: [] });

    const notices = await database.noticesOf(userId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ category: "onboarding", template: "welcome", caused_by: created.id });
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => [row.channel, row.recipient])).toEqual([
      ["email", email],
      ["push", pushId],
      ["in_app", null],
    ]);
    for (const row of rows) expect(row).toMatchObject({ status: "pending", attempts: 0, caused_by: created.id });
    expect([...first.dueNow].sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it("mails non-security mail with a one-click unsubscribe link for its category, in the footer and the headers", async () => {
    const { userId, email } = services.person();
    await consumeEvent(db, env, userCreated(userId, email));
    const [mail] = (await database.deliveriesOf(userId)).filter((row) => row.channel === "email");
    const headers = mail?.payload.headers as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = /^<(.+)>$/.exec(headers["List-Unsubscribe"] ?? "")?.[1] ?? "";
    expect(link.startsWith(`${ORIGIN}/api/notifications/unsubscribe?token=`)).toBe(true);
    expect(mail?.payload.text).toContain(link);
    expect(mail?.payload.text).toContain(`${ORIGIN}/courses`);
  });

  it("greets with the registered name in English while the person has no profile yet", async () => {
    const { userId, email } = services.person({ profile: false });
    await consumeEvent(db, env, userCreated(userId, email, "Grace Hopper"));
    const [mail] = (await database.deliveriesOf(userId)).filter((row) => row.channel === "email");
    expect(mail?.locale).toBe("en");
    expect(mail?.payload.text).toContain("Grace Hopper");
  });

  it("writes in the profile's language", async () => {
    const { userId, email } = services.person({ locale: "de-CH", name: "Käthe" });
    await consumeEvent(db, env, userCreated(userId, email, "Käthe"));
    const rows = await database.deliveriesOf(userId);
    expect(new Set(rows.map((row) => row.locale))).toEqual(new Set(["de"]));
  });

  it("mails nobody whose account is disabled; the in-app notice is still kept", async () => {
    const disabled = services.person();
    services.disable(disabled.userId);
    await consumeEvent(db, env, userCreated(disabled.userId, disabled.email));
    expect((await database.deliveriesOf(disabled.userId)).map((row) => row.channel)).toEqual(["in_app"]);
  });

  it("tells nothing to an account auth does not know (erased before its event arrived)", async () => {
    const stranger = uuidv7();
    const late = userCreated(stranger, "nobody@example.com");
    expect((await consumeEvent(db, env, late)).outcome).toBe("ignored");
    expect(await database.deliveriesOf(stranger)).toEqual([]);
    expect(await database.noticesOf(stranger)).toEqual([]);
  });
});

describe("preferences", () => {
  it("a muted channel of a category gets nothing; other channels and categories are untouched", async () => {
    const { userId, email } = services.person();
    await database.mute(userId, "onboarding", "email");
    await database.mute(userId, "onboarding", "in_app");
    await consumeEvent(db, env, userCreated(userId, email));
    expect(await database.deliveriesOf(userId)).toEqual([]);
    expect(await database.noticesOf(userId)).toEqual([]);

    const course = services.course();
    await consumeEvent(
      db,
      env,
      event("COURSE_COMPLETED", { userId, courseId: course.id, completedAt: new Date().toISOString() }),
    );
    expect((await database.deliveriesOf(userId)).map((row) => row.channel)).toEqual(["email", "in_app"]);
  });
});

describe("what refuses to render, or cannot be looked up, writes nothing", () => {
  it("data a template refuses (an empty course title) throws TemplateError; no notice, no delivery, no dedupe mark", async () => {
    const { userId } = services.person();
    const course = services.course("   ");
    const completed = event("COURSE_COMPLETED", { userId, courseId: course.id, completedAt: new Date().toISOString() });
    await expect(consumeEvent(db, env, completed)).rejects.toThrow(TemplateError);
    await expect(consumeEvent(db, env, completed)).rejects.toThrow(/courseTitle/);
    expect(await database.deliveriesOf(userId)).toEqual([]);
    expect(await database.noticesOf(userId)).toEqual([]);
    expect(await processed(completed.id)).toBe(0);
  });

  it("links that are not http(s) are refused by the templates", async () => {
    const { userId, email } = services.person();
    const created = userCreated(userId, email);
    await expect(consumeEvent(db, { ...env, PUBLIC_ORIGIN: "ftp://files.example.com" }, created)).rejects.toThrow(
      /catalogUrl/,
    );
    expect(await database.deliveriesOf(userId)).toEqual([]);
    expect(await processed(created.id)).toBe(0);
  });

  it("a service that cannot answer defers the event (thrown, retried by the router), nothing written", async () => {
    const { userId, email } = services.person();
    const created = userCreated(userId, email);
    services.down.auth = true;
    try {
      await expect(consumeEvent(db, env, created)).rejects.toThrow(/auth service/);
    } finally {
      services.down.auth = false;
    }
    expect(await processed(created.id)).toBe(0);
    expect((await consumeEvent(db, env, created)).outcome).toBe("applied");
  });
});

describe("purchases, subscriptions, refunds, completions", () => {
  it("a purchase's grant confirms it with the course's link; other grants say nothing", async () => {
    const { userId } = services.person();
    const course = services.course("Edge Computing", "edge-computing");
    const grant = (via: "purchase" | "subscription") =>
      event("COURSE_ACCESS_GRANTED", {
        userId,
        courseId: course.id,
        via,
        reference: null,
        grantedAt: new Date().toISOString(),
      });
    expect((await consumeEvent(db, env, grant("subscription"))).outcome).toBe("ignored");
    expect(await database.deliveriesOf(userId)).toEqual([]);
    expect((await consumeEvent(db, env, grant("purchase"))).outcome).toBe("applied");
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => [row.template, row.category, row.channel])).toEqual([
      ["purchase-confirmed", "purchases", "email"],
      ["purchase-confirmed", "purchases", "in_app"],
    ]);
    expect(rows[0]?.payload.text).toContain(`${ORIGIN}/courses/edge-computing`);
    expect(rows[0]?.payload.subject).toContain("Edge Computing");
  });

  it("a cancellation that ends later says so now, and schedules 'ended' for the end without an inbox entry yet", async () => {
    const { userId } = services.person();
    const endsAt = new Date(Date.now() + 10 * 86_400_000);
    const canceled = event("SUBSCRIPTION_CANCELED", { subscriptionId: uuidv7(), userId, endsAt: endsAt.toISOString() });
    const { dueNow } = await consumeEvent(db, env, canceled);
    const rows = await database.deliveriesOf(userId);
    const ending = rows.filter((row) => row.template === "subscription-ending");
    const ended = rows.filter((row) => row.template === "subscription-ended");
    expect(ending.map((row) => row.channel)).toEqual(["email", "in_app"]);
    expect(ended.map((row) => row.channel)).toEqual(["email", "in_app"]);
    for (const row of ended) expect(row.next_attempt_at.getTime()).toBe(endsAt.getTime());
    expect([...dueNow].sort()).toEqual(ending.map((row) => row.id).sort());
    expect((await database.noticesOf(userId)).map((notice) => notice.template)).toEqual(["subscription-ending"]);
  });

  it("a cancellation that ended already says only that it ended, now", async () => {
    const { userId } = services.person();
    const endsAt = new Date(Date.now() - 1_000).toISOString();
    const { dueNow } = await consumeEvent(
      db,
      env,
      event("SUBSCRIPTION_CANCELED", { subscriptionId: uuidv7(), userId, endsAt }),
    );
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => row.template)).toEqual(["subscription-ended", "subscription-ended"]);
    expect(dueNow).toHaveLength(2);
  });

  it("a refund and a completion take their course's title; the completion links the certificates", async () => {
    const { userId } = services.person();
    const course = services.course("Queues in Practice");
    await consumeEvent(
      db,
      env,
      event("PAYMENT_REFUNDED", {
        paymentId: uuidv7(),
        userId,
        courseId: course.id,
        amountMinor: 4_900,
        currency: "EUR",
        refundReference: "re_1",
        refundedAt: new Date().toISOString(),
      }),
    );
    await consumeEvent(
      db,
      env,
      event("COURSE_COMPLETED", { userId, courseId: course.id, completedAt: new Date().toISOString() }),
    );
    const mails = (await database.deliveriesOf(userId)).filter((row) => row.channel === "email");
    expect(mails.map((row) => row.template)).toEqual(["course-completed", "refund-processed"]);
    expect(mails[0]?.payload.text).toContain(`${ORIGIN}/learning/certificates`);
    expect(mails[1]?.payload.text).toContain("Queues in Practice");
  });
});

describe("WEBHOOK_ENDPOINT_DISABLED: the endpoint's owner is told", () => {
  const disabled = (userId: string) =>
    event("WEBHOOK_ENDPOINT_DISABLED", {
      endpointId: uuidv7(),
      userId,
      url: "https://hooks.example.net/edge?token=secret",
      reason: "HTTP 500 on every attempt for 3 days",
      failedDeliveries: 42,
      disabledAt: new Date().toISOString(),
    });

  it("mails it as security mail, with no unsubscribe link, and puts it in the inbox linking the admin console", async () => {
    const { userId, email } = services.person();
    // Every category that can be muted by mail is: this one is not among them.
    for (const category of ["purchases", "subscriptions", "learning", "onboarding"]) {
      await database.mute(userId, category, "email");
    }
    const consumed = disabled(userId);
    expect((await consumeEvent(db, env, consumed)).outcome).toBe("applied");
    expect((await consumeEvent(db, env, consumed)).outcome).toBe("duplicate");

    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => [row.template, row.category, row.channel, row.recipient])).toEqual([
      ["webhook-endpoint-disabled", "security", "email", email],
      ["webhook-endpoint-disabled", "security", "in_app", null],
    ]);
    const mail = rows[0]?.payload;
    expect(mail?.headers).toEqual({});
    expect(mail?.text).not.toMatch(/unsubscribe/i);
    expect(mail?.subject).toBe("A webhook endpoint was disabled");
    expect(mail?.text).toContain("https://hooks.example.net/edge?…");
    expect(mail?.text).not.toContain("token=secret");
    expect(mail?.text).toContain("42 deliveries to it were given up.");
    expect(mail?.text).toContain(`Open the admin console:\n${ORIGIN}/admin\n`);
    expect(mail?.text).not.toContain("/api/docs");

    const notices = await database.noticesOf(userId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      category: "security",
      template: "webhook-endpoint-disabled",
      title: "Webhook endpoint disabled",
      link: `${ORIGIN}/admin`,
      caused_by: consumed.id,
    });
  });

  it("still mails an owner who muted security notices in the inbox (security mail cannot be muted)", async () => {
    const { userId, email } = services.person({ locale: "de-AT" });
    await database.mute(userId, "security", "in_app");
    await consumeEvent(db, env, disabled(userId));
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => [row.channel, row.recipient, row.locale])).toEqual([["email", email, "de"]]);
    expect(rows[0]?.payload.subject).toBe("Ein Webhook-Endpunkt wurde deaktiviert");
    expect(await database.noticesOf(userId)).toEqual([]);
  });
});

describe("USER_DELETED: erasure", () => {
  it("deletes the notices, preferences, push subscriptions and pending deliveries, and scrubs the log's sent rows", async () => {
    const { userId, email } = services.person();
    const other = services.person();
    await database.subscribePush(userId);
    await database.mute(userId, "learning", "push");
    await consumeEvent(db, env, userCreated(userId, email));
    await consumeEvent(db, env, userCreated(other.userId, other.email));
    const [sent] = (await database.deliveriesOf(userId)).filter((row) => row.channel === "email");
    await admin.query("update notifications.deliveries set status = 'sent', sent_at = now() where id = $1", [sent?.id]);

    expect((await consumeEvent(db, env, event("USER_DELETED", { userId }))).outcome).toBe("applied");

    expect(await database.noticesOf(userId)).toEqual([]);
    const left = await database.deliveriesOf(userId);
    expect(left.map((row) => [row.id, row.status, row.recipient, row.payload])).toEqual([[sent?.id, "sent", null, {}]]);
    const counts = await admin.query<{ preferences: number; subscriptions: number }>(
      `select (select count(*)::int from notifications.preferences where user_id = $1) as preferences,
              (select count(*)::int from notifications.push_subscriptions where user_id = $1) as subscriptions`,
      [userId],
    );
    expect(counts.rows[0]).toEqual({ preferences: 0, subscriptions: 0 });
    // Nobody else's rows are touched.
    expect(await database.noticesOf(other.userId)).toHaveLength(1);
    expect(
      (await database.deliveriesOf(other.userId)).every((row) => row.recipient !== null || row.channel === "in_app"),
    ).toBe(true);
  });
});
