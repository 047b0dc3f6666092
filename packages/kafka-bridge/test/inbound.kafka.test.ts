import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import kafkajs from "kafkajs";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { buildEvent, INBOUND_SIGNATURE_HEADER, verifyInboundSignature } from "@platform/events";
import { configFromEnv, DEAD_LETTER_REASON_HEADER, startBridge, type Bridge } from "../src/index.ts";
import { freshDatabase } from "./support/database.ts";
import { collectTopic, testKafka, type ReadMessage } from "../../../test/support/kafka-topics.ts";

const { Partitioners } = kafkajs;
const brokers = inject("kafkaBrokers");
const SECRET = "inbound-test-secret-0123456789abcdef";
const topic = `integrator-events-${randomUUID().slice(0, 8)}`;

interface Received {
  readonly body: string;
  readonly contentType: string | undefined;
  readonly correlationId: string | undefined;
  readonly signatureOk: boolean;
}

/** The platform's receiving end, as far as the bridge can tell: verifies the signature, answers as told per event id. */
const received: Received[] = [];
const answers = new Map<string, { status: number; body?: unknown }[]>();
let receiver: Server;
let receiverUrl: string;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let bridge: Bridge;
let deadLetters: Awaited<ReturnType<typeof collectTopic>> | undefined;
const kafka = testKafka(brokers);
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

function enrollment() {
  return buildEvent(
    "ENROLLMENT_REQUESTED",
    {
      userId: randomUUID(),
      courseId: randomUUID(),
      reference: `crm-${randomUUID().slice(0, 6)}`,
      requestedAt: new Date().toISOString(),
    },
    { source: "integrator:acme-crm", correlationId: `acme-${randomUUID().slice(0, 8)}` },
  );
}

async function send(value: string, key: string = randomUUID()): Promise<string> {
  const [ack] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  return String(ack?.baseOffset ?? ack?.offset);
}

const deliveredIds = () => received.filter((r) => r.signatureOk).map((r) => (JSON.parse(r.body) as { id: string }).id);

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (raw += chunk));
    request.on("end", () => {
      void (async () => {
        const check = await verifyInboundSignature(
          SECRET,
          raw,
          request.headers[INBOUND_SIGNATURE_HEADER] as string | undefined,
        );
        received.push({
          body: raw,
          contentType: request.headers["content-type"],
          correlationId: request.headers["x-correlation-id"] as string | undefined,
          signatureOk: check.ok,
        });
        if (!check.ok) {
          response
            .writeHead(401, { "content-type": "application/problem+json" })
            .end(JSON.stringify({ title: "Unauthorized", status: 401, detail: check.reason }));
          return;
        }
        const id = (JSON.parse(raw) as { id: string }).id;
        const answer = answers.get(id)?.shift() ?? { status: 202, body: { id, status: "accepted" } };
        const type = answer.status >= 400 ? "application/problem+json" : "application/json";
        response.writeHead(answer.status, { "content-type": type }).end(JSON.stringify(answer.body ?? {}));
      })();
    });
  });
  await new Promise<void>((resolve) => receiver.listen({ host: "127.0.0.1", port: 0 }, resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/events/inbound`;
  database = await freshDatabase("inbound");
  bridge = await startBridge(
    configFromEnv({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      BRIDGE_METRICS_PORT: "0",
      BRIDGE_SCHEMAS: "courses",
      KAFKA_INBOUND_TOPIC: topic,
      PLATFORM_INBOUND_URL: receiverUrl,
      INBOUND_EVENTS_SECRET: SECRET,
    }),
    { log: () => {} },
  );
  await bridge.waitUntilHealthy(60_000);
  await producer.connect();
  deadLetters = await collectTopic(brokers, `${topic}.dlq`);
});

afterAll(async () => {
  await deadLetters?.stop();
  await producer.disconnect().catch(() => {});
  await bridge?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.drop();
});

/** The dead letter of this value; throws until it is on the topic (for `vi.waitFor`). */
function deadLetter(value: string): ReadMessage {
  const message = deadLetters?.messages.find((m) => m.value === value);
  if (!message) throw new Error(`no dead letter yet for ${value}`);
  return message;
}

describe("inbound events from integrators", () => {
  it("hands a valid event to the platform: the raw message as the body, JSON, signed with the shared secret", async () => {
    const event = enrollment();
    const value = JSON.stringify(event);
    await send(value);
    await expect
      .poll(deliveredIds, { timeout: 30_000, interval: 100, message: "the platform to receive it" })
      .toContain(event.id);
    const delivery = received.find((r) => r.body === value);
    expect(delivery).toEqual({
      body: value,
      contentType: "application/json",
      correlationId: event.metadata.correlationId,
      signatureOk: true,
    });
    expect(bridge.health().inbound).toMatchObject({ topic, state: "running", delivered: 1, deadLettered: 0 });
  });

  it("sends an event that fails the catalogue's schemas to the dead-letter topic with the reason and the original offset, and never to the platform", async () => {
    const event = enrollment();
    const invalid = JSON.stringify({ ...event, data: { ...event.data, courseId: "not-a-uuid" } });
    const offset = await send(invalid, "the-key");
    const message = await vi.waitFor(() => deadLetter(invalid), { timeout: 30_000, interval: 100 });
    expect(message.key).toBe("the-key");
    expect(message.headers[DEAD_LETTER_REASON_HEADER]).toContain("data.courseId");
    expect(message.headers).toMatchObject({ "x-original-topic": topic, "x-original-offset": offset });
    expect(received.some((r) => r.body === invalid)).toBe(false);
  });

  it("dead-letters a message that is not JSON at all", async () => {
    await send("this is not { json");
    const message = await vi.waitFor(() => deadLetter("this is not { json"), { timeout: 30_000, interval: 100 });
    expect(message.headers[DEAD_LETTER_REASON_HEADER]).toMatch(/^the value is not JSON/);
  });

  it("dead-letters an event the platform refuses (422), with the platform's problem detail as the reason", async () => {
    const event = enrollment();
    answers.set(event.id, [
      {
        status: 422,
        body: {
          title: "Validation failed",
          status: 422,
          detail: "This is not an event integrators may send.",
          errors: [{ path: "body.type", message: "not allowed" }],
        },
      },
    ]);
    const value = JSON.stringify(event);
    await send(value);
    const message = await vi.waitFor(() => deadLetter(value), { timeout: 30_000, interval: 100 });
    const reason = message.headers[DEAD_LETTER_REASON_HEADER] ?? "";
    expect(reason).toContain("HTTP 422");
    expect(reason).toContain("This is not an event integrators may send.");
    expect(reason).toContain("body.type: not allowed");
  });

  it("retries while the platform answers 503, without skipping ahead: the next event on the partition waits its turn", async () => {
    const first = enrollment();
    const second = enrollment();
    answers.set(first.id, [
      { status: 503, body: { title: "Service Unavailable", status: 503 } },
      { status: 503, body: { title: "Service Unavailable", status: 503 } },
    ]);
    const retriedBefore = bridge.metrics.inbound.get({ outcome: "retried" });
    await send(JSON.stringify(first), "one-learner");
    await send(JSON.stringify(second), "one-learner");
    await expect
      .poll(deliveredIds, { timeout: 60_000, interval: 100, message: "both to be delivered" })
      .toContain(second.id);
    const attempts = received.filter((r) => r.body.includes(first.id));
    expect(attempts).toHaveLength(3);
    const order = deliveredIds().filter((id) => id === first.id || id === second.id);
    expect(order).toEqual([first.id, first.id, first.id, second.id]);
    expect(bridge.metrics.inbound.get({ outcome: "retried" }) - retriedBefore).toBe(2);
  });

  it("commits what it has handled: the group's offsets reach the end of every partition", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      await expect
        .poll(
          async () => {
            const [committed] = await admin.fetchOffsets({ groupId: "platform-kafka-bridge-inbound", topics: [topic] });
            return committed?.partitions.every(
              (p) => ends.get(p.partition) === "0" || p.offset === ends.get(p.partition),
            );
          },
          { timeout: 20_000, interval: 100, message: "the committed offsets to reach the end" },
        )
        .toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});
