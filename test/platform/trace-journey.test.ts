import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { parseTraceparent } from "@platform/events";
import { configFromEnv, startBridge, type Bridge } from "@platform/kafka-bridge";
import { startKafkaBroker, type KafkaBroker } from "@platform/kafka-broker";
import { newSpanId, newTraceId } from "@platform/http-kit/trace";
import { GOOD_PASSWORD, api, uniqueEmail, type RegisteredUser } from "../support/api.ts";
import { db } from "../support/database.ts";
import { collectTopic, type ReadMessage } from "../support/kafka-topics.ts";
import { ASYNC_EFFECTS } from "../support/polling.ts";
import { logRecord } from "../support/trace-log.ts";

/**
 * One request's trace across the platform (docs/observability.md#traces): the gateway starts it,
 * the auth worker continues it over the service binding, the USER_CREATED it writes carries it in
 * its envelope, the Queue's router and the users worker's consumer continue it, and the Kafka bridge
 * puts it on the message's `traceparent` header. A real broker and the bridge, as in event-journey.
 */
const folder = mkdtempSync(join(tmpdir(), "trace-kafka-"));
chmodSync(folder, 0o755);
let broker: KafkaBroker | undefined;
let bridge: Bridge | undefined;
let userEvents: { messages: ReadMessage[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  broker = await startKafkaBroker({ dataDir: join(folder, "kafka"), defaultPartitions: 3 });
  bridge = await startBridge(
    configFromEnv({
      DATABASE_URL: inject("databaseUrl"),
      KAFKA_BROKERS: broker.brokers,
      BRIDGE_METRICS_PORT: "0",
      BRIDGE_POLL_MS: "250",
    }),
    { log: () => {} },
  );
  await bridge.waitUntilHealthy(60_000);
  userEvents = await collectTopic(broker.brokers, "user-events");
}, 180_000);

afterAll(async () => {
  await userEvents?.stop();
  await bridge?.stop();
  await broker?.stop();
  await db.end();
  rmSync(folder, { recursive: true, force: true });
});

describe("a registration's trace", () => {
  it("crosses gateway → auth → the USER_CREATED envelope → the Queue's router and the users consumer → Kafka's traceparent header", async () => {
    const correlationId = `trace-journey-${crypto.randomUUID()}`;
    // A client's own traceparent: linked by the gateway, never continued (it is the internet's choice).
    const clientTraceId = newTraceId();
    const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email: uniqueEmail("trace"), password: GOOD_PASSWORD, name: "Trace Journey" },
      headers: { "x-correlation-id": correlationId, traceparent: `00-${clientTraceId}-${newSpanId()}-01` },
    });
    expect(registered.status).toBe(201);

    const byRequest = (service: string) => (record: { service?: string; msg?: string; correlationId?: string }) =>
      record.service === service && record.msg === "request" && record.correlationId === correlationId;
    const gateway = await logRecord("the gateway's request", byRequest("gateway"));
    const traceId = gateway.traceId ?? "";
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(clientTraceId);
    expect(gateway).toMatchObject({ linkedTraceId: clientTraceId, route: "/api/:service/*", status: 201 });
    expect(gateway.parentSpanId).toBeUndefined();

    // The auth worker's span is the gateway's child, through the service binding's traceparent header.
    const auth = await logRecord("the auth worker's request", byRequest("auth"));
    expect(auth).toMatchObject({ traceId, parentSpanId: gateway.spanId, route: "/api/auth/register", status: 201 });

    // The event it wrote names the auth worker's span as its parent.
    const { rows } = await db.query<{ id: string; envelope: { metadata: { traceparent?: string } } }>(
      "select id, envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [registered.body.id],
    );
    const written = rows[0];
    if (!written) throw new Error("no USER_CREATED in the auth outbox");
    expect(parseTraceparent(written.envelope.metadata.traceparent)).toMatchObject({ traceId, spanId: auth.spanId });

    // The Queue's consumer side: the router delivering it, and the users worker applying it.
    const delivered = await logRecord(
      "the router's delivery",
      (record) => record.service === "events" && record.msg === "delivered" && record.eventId === written.id,
    );
    expect(delivered.traceId).toBe(traceId);
    const consumed = await logRecord(
      "the users worker's consumer line",
      (record) => record.service === "users" && record.msg === "event" && record.eventId === written.id,
    );
    expect(consumed).toMatchObject({ traceId, eventType: "USER_CREATED", outcome: "applied", correlationId });

    // Kafka: the bridge's message for the event carries the same trace in its traceparent header.
    const [message] = await vi.waitFor(
      () => {
        const found = userEvents?.messages.filter((m) => m.headers["event-id"] === written.id) ?? [];
        expect(found, "the event on user-events").not.toHaveLength(0);
        return found;
      },
      { ...ASYNC_EFFECTS, timeout: 60_000 },
    );
    expect(message?.headers.traceparent).toBe(written.envelope.metadata.traceparent);
    expect(parseTraceparent(message?.headers.traceparent)?.traceId).toBe(traceId);
    expect(message?.headers["correlation-id"]).toBe(correlationId);
  });
});
