import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import kafkajs from "kafkajs";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { INTEGRATOR_SIGNATURE_HEADER, buildEvent, publicProjection, type EventEnvelope } from "@platform/events";
import { configFromEnv, startBridge, type Bridge } from "@platform/kafka-bridge";
import { startKafkaBroker, type KafkaBroker } from "@platform/kafka-broker";
import { GOOD_PASSWORD, api, gatewayUrl, uniqueEmail, type RegisteredUser } from "../support/api.ts";
import { db } from "../support/database.ts";
import { instructor, learner } from "../support/people.ts";
import { publishedCourse } from "../support/courses.ts";
import { registerIntegrator, type TestIntegrator } from "../support/integrators.ts";
import { collectTopic, type ReadMessage } from "../support/kafka-topics.ts";
import { ASYNC_EFFECTS } from "../support/polling.ts";

/**
 * The whole event backbone at once, on the running platform plus a real Kafka broker and the
 * bridge: one event reaches the in-platform consumer (through the Queue) and its Kafka topic
 * (through the bridge) as the same envelope; an integrator's event goes Kafka → bridge →
 * platform → the courses service, and its consequence comes back out on Kafka.
 */
const INBOUND_TOPIC = "integrator-events";
const folder = mkdtempSync(join(tmpdir(), "journey-kafka-"));
chmodSync(folder, 0o755);
let broker: KafkaBroker | undefined;
let bridge: Bridge | undefined;
let userEvents: { messages: ReadMessage[]; stop(): Promise<void> } | undefined;
let courseEvents: { messages: ReadMessage[]; stop(): Promise<void> } | undefined;
let deadLetters: { messages: ReadMessage[]; stop(): Promise<void> } | undefined;
let notificationEvents: { messages: ReadMessage[]; stop(): Promise<void> } | undefined;
let crm: TestIntegrator;

beforeAll(async () => {
  crm = await registerIntegrator("journey-crm");
  broker = await startKafkaBroker({ dataDir: join(folder, "kafka"), defaultPartitions: 3 });
  bridge = await startBridge(
    configFromEnv({
      DATABASE_URL: inject("databaseUrl"),
      KAFKA_BROKERS: broker.brokers,
      BRIDGE_METRICS_PORT: "0",
      BRIDGE_POLL_MS: "250",
      KAFKA_INBOUND_TOPIC: INBOUND_TOPIC,
      PLATFORM_INBOUND_URL: `${gatewayUrl}/api/events/inbound`,
      INBOUND_EVENTS_SECRET: inject("inboundEventsSecret"),
    }),
    { log: () => {} },
  );
  await bridge.waitUntilHealthy(60_000);
  const admin = new kafkajs.Kafka({
    clientId: "journey-admin",
    brokers: [broker.brokers],
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: INBOUND_TOPIC, numPartitions: 1 },
      { topic: `${INBOUND_TOPIC}.dlq`, numPartitions: 1 },
    ],
  });
  await admin.disconnect();
  [userEvents, courseEvents, deadLetters, notificationEvents] = await Promise.all([
    collectTopic(broker.brokers, "user-events"),
    collectTopic(broker.brokers, "course-events"),
    collectTopic(broker.brokers, `${INBOUND_TOPIC}.dlq`),
    collectTopic(broker.brokers, "notification-events"),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([userEvents?.stop(), courseEvents?.stop(), deadLetters?.stop(), notificationEvents?.stop()]);
  await bridge?.stop();
  await broker?.stop();
  await db.end();
  rmSync(folder, { recursive: true, force: true });
});

const onTopic = (collected: { messages: ReadMessage[] } | undefined, eventId: string) =>
  collected?.messages.filter((message) => message.headers["event-id"] === eventId) ?? [];

/** Writes to the inbound topic as an integrator does: the event, and (when given) its signature in a header. */
async function produce(value: string, integratorSignature?: string) {
  const kafka = new kafkajs.Kafka({
    clientId: "journey-integrator",
    brokers: [broker?.brokers ?? ""],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  const headers = integratorSignature ? { [INTEGRATOR_SIGNATURE_HEADER]: integratorSignature } : undefined;
  await producer.send({ topic: INBOUND_TOPIC, messages: [{ value, headers }] });
  await producer.disconnect();
}

describe("one event, two destinations", () => {
  it("USER_CREATED from a registration reaches the users service (Queue) in full and user-events (Kafka) in its public form, without email and name", async () => {
    const email = uniqueEmail("journey");
    const name = `Journey Person ${crypto.randomUUID().slice(0, 8)}`;
    const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name },
      headers: { "x-correlation-id": "journey-both-ways" },
    });
    expect(registered.status).toBe(201);
    const { rows } = await db.query<{ id: string; envelope: unknown }>(
      "select id, envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [registered.body.id],
    );
    const [written] = rows;
    if (!written) throw new Error("no USER_CREATED in the auth outbox");

    // Generous bounds: the bridge may first drain every earlier test's backlog from the outboxes.
    const applied = await vi.waitFor(
      async () => {
        const result = await db.query("select correlation_id from users.processed_events where event_id = $1", [
          written.id,
        ]);
        expect(result.rows[0], "the users service to apply it").toBeDefined();
        return result.rows[0] as { correlation_id: string };
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );
    const [message] = await vi.waitFor(
      () => {
        const found = onTopic(userEvents, written.id);
        expect(found, "the event on user-events").not.toHaveLength(0);
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );

    expect(applied.correlation_id).toBe("journey-both-ways");
    expect(message?.key).toBe(registered.body.id);
    expect(message?.headers).toMatchObject({
      "event-type": "USER_CREATED",
      "event-form": "public",
      "correlation-id": "journey-both-ways",
    });
    // The platform's copy is the full event: the users service made the profile from it (Queue)…
    expect(written.envelope).toMatchObject({ data: { email, name } });
    const profile = await db.query("select name, email from users.profiles where user_id = $1", [registered.body.id]);
    expect(profile.rows[0]).toEqual({ name, email });
    // …Kafka's is its public form: the same event without them, in no byte of the message.
    expect(JSON.parse(message?.value ?? "null")).toEqual(publicProjection(written.envelope as EventEnvelope));
    for (const personal of [email, name]) {
      expect(message?.rawValue?.includes(Buffer.from(personal)), `${personal} on Kafka`).toBe(false);
    }
  });
});

describe("what the platform did, out on Kafka", () => {
  it("the welcome mail a registration caused is announced on notification-events, traced to its USER_CREATED", async () => {
    const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email: uniqueEmail("journey-welcome"), password: GOOD_PASSWORD, name: "Journey Welcome" },
    });
    expect(registered.status).toBe(201);
    const created = await db.query<{ id: string }>(
      "select id from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [registered.body.id],
    );
    const causedBy = created.rows[0]?.id;
    if (!causedBy) throw new Error("no USER_CREATED in the auth outbox");

    // The notifications worker sends the welcome (to the test mailbox) and records NOTIFICATION_SENT in its outbox.
    const sent = await vi.waitFor(
      async () => {
        const result = await db.query<{ id: string }>(
          `select id from notifications.outbox
            where type = 'NOTIFICATION_SENT' and envelope -> 'data' ->> 'causedBy' = $1
              and envelope -> 'data' ->> 'channel' = 'email'`,
          [causedBy],
        );
        expect(result.rows[0], "NOTIFICATION_SENT for the welcome").toBeDefined();
        return result.rows[0] as { id: string };
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );
    const [message] = await vi.waitFor(
      () => {
        const found = onTopic(notificationEvents, sent.id);
        expect(found, "the event on notification-events").not.toHaveLength(0);
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );
    expect(message?.headers["event-type"]).toBe("NOTIFICATION_SENT");
    expect(JSON.parse(message?.value ?? "null")).toMatchObject({
      type: "NOTIFICATION_SENT",
      data: { userId: registered.body.id, channel: "email", template: "welcome", causedBy },
    });
  });
});

describe("an integrator's event, in and out again", () => {
  it("ENROLLMENT_REQUESTED on the inbound topic enrols the learner, and COURSE_ACCESS_GRANTED comes out on course-events", async () => {
    const course = await publishedCourse(await instructor("journey-author"), {
      price: { amountMinor: 4900, currency: "EUR" },
    });
    const student = await learner("journey-student");
    const request = buildEvent(
      "ENROLLMENT_REQUESTED",
      { userId: student.userId, courseId: course.id, reference: "crm-order-77", requestedAt: new Date().toISOString() },
      { source: `integrator:${crm.name}`, correlationId: "crm-journey-77" },
    );
    const body = JSON.stringify(request);
    await produce(body, await crm.sign(body));

    await expect
      .poll(
        async () =>
          (await api<{ access: string }>("GET", `/api/courses/${course.id}/lessons`, { token: student.token })).body
            .access,
        {
          ...ASYNC_EFFECTS,
          timeout: 60_000,
          message: "access through the integrator's enrollment",
        },
      )
      .toBe("full");
    // The request itself is republished by the platform on course-events (it is in the events outbox)…
    await expect
      .poll(() => onTopic(courseEvents, request.id).length, {
        ...ASYNC_EFFECTS,
        timeout: 60_000,
        message: "the request on course-events",
      })
      .toBeGreaterThan(0);
    // …and so is its consequence, with the integrator's correlation id carried through.
    const granted = await vi.waitFor(
      () => {
        const found = courseEvents?.messages.find(
          (message) =>
            message.headers["event-type"] === "COURSE_ACCESS_GRANTED" &&
            message.key === `${student.userId}:${course.id}`,
        );
        if (!found) throw new Error("COURSE_ACCESS_GRANTED on course-events: not there yet");
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );
    expect(granted.headers["correlation-id"]).toBe("crm-journey-77");
    expect(JSON.parse(granted.value ?? "{}")).toMatchObject({ data: { via: "integrator", reference: "crm-order-77" } });
  });

  it("an event integrators may not send goes to the dead-letter topic with the platform's reason, and changes nothing", async () => {
    const forged = buildEvent(
      "USER_CREATED",
      { userId: crypto.randomUUID(), email: uniqueEmail("forged"), name: "Forged Admin", roles: ["admin"] },
      { source: `integrator:${crm.name}`, correlationId: "crm-forged" },
    );
    const body = JSON.stringify(forged);
    await produce(body, await crm.sign(body));
    const dead = await vi.waitFor(
      () => {
        const found = deadLetters?.messages.find((message) => message.value?.includes(forged.id));
        if (!found) throw new Error("the dead letter: not there yet");
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 30_000 },
    );
    expect(dead.headers["x-dead-letter-reason"]).toContain("integrators may send only ENROLLMENT_REQUESTED");
    const { rows } = await db.query("select 1 from events.outbox where id = $1", [forged.id]);
    expect(rows).toEqual([]);
  });
  it("an enrollment request without a registered integrator's signature is dead-lettered, and grants nothing", async () => {
    const course = await publishedCourse(await instructor("journey-unsigned-author"), {
      price: { amountMinor: 4900, currency: "EUR" },
    });
    const student = await learner("journey-freeloader");
    const request = buildEvent(
      "ENROLLMENT_REQUESTED",
      { userId: student.userId, courseId: course.id, reference: "free-ride", requestedAt: new Date().toISOString() },
      { source: `integrator:${crm.name}`, correlationId: "journey-unsigned" },
    );
    // Written by someone with access to the topic but not to an integrator's key.
    await produce(JSON.stringify(request));
    const dead = await vi.waitFor(
      () => {
        const found = deadLetters?.messages.find((message) => message.value?.includes(request.id));
        if (!found) throw new Error("the dead letter: not there yet");
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 30_000 },
    );
    expect(dead.headers["x-dead-letter-reason"]).toContain("HTTP 401");
    const { rows } = await db.query("select 1 from events.outbox where id = $1", [request.id]);
    expect(rows).toEqual([]);
    const lessons = await api<{ access: string }>("GET", `/api/courses/${course.id}/lessons`, { token: student.token });
    expect(lessons.body.access).not.toBe("full");
  });
});
