import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { EventEnvelope } from "@platform/events";
import { configFromEnv, jsonLogger, startBridge, type Bridge, type BridgeConfig } from "../src/index.ts";
import { courseEvent, freshDatabase, insertEvents, unpublishedCount, withClient } from "./support/database.ts";
import { readTopic, type ReadMessage } from "../../../test/support/kafka-topics.ts";
import { startTcpProxy } from "./support/tcp-proxy.ts";

const brokers = inject("kafkaBrokers");
let database: Awaited<ReturnType<typeof freshDatabase>>;

const quiet = process.env.BRIDGE_TEST_LOG ? jsonLogger((line) => console.log(line)) : () => {};

function bridgeConfig(overrides: Record<string, string> = {}): BridgeConfig {
  return configFromEnv({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    BRIDGE_METRICS_PORT: "0",
    BRIDGE_POLL_MS: "200",
    BRIDGE_PROBE_MS: "300",
    ...overrides,
  });
}

async function withBridge<T>(config: BridgeConfig, work: (bridge: Bridge) => Promise<T>): Promise<T> {
  const bridge = await startBridge(config, { log: quiet });
  try {
    return await work(bridge);
  } finally {
    await bridge.stop();
  }
}

const drained = (schema = "courses") =>
  vi.waitFor(
    async () =>
      expect(
        await withClient(database.url, (c) => unpublishedCount(c, schema)),
        `the ${schema} outbox to be published`,
      ).toBe(0),
    { timeout: 60_000, interval: 100 },
  );

const ours = (messages: readonly ReadMessage[], ids: ReadonlySet<string>) =>
  messages.filter((m) => ids.has(m.headers["event-id"] ?? ""));

beforeAll(async () => {
  database = await freshDatabase("relay");
});
afterAll(async () => {
  await database?.drop();
});

describe("relaying the outbox to Kafka", () => {
  it("publishes each committed event on its topic, keyed by aggregate, with its id, type and correlation id in headers and the stored envelope as value", async () => {
    const committed = [courseEvent(randomUUID()), courseEvent(randomUUID()), courseEvent(randomUUID())];
    const rolledBack = [courseEvent(randomUUID()), courseEvent(randomUUID())];
    await withBridge(bridgeConfig(), async (bridge) => {
      await bridge.waitUntilHealthy(30_000);
      await withClient(database.url, async (client) => {
        await client.query("BEGIN");
        await insertEvents(client, "courses", committed);
        await client.query("COMMIT");
        await client.query("BEGIN");
        await insertEvents(client, "courses", rolledBack);
        await client.query("ROLLBACK");
      });
      await drained();
    });

    const messages = await readTopic(brokers, "course-events");
    const byId = new Map(messages.map((m) => [m.headers["event-id"], m]));
    for (const envelope of committed) {
      const message = byId.get(envelope.id);
      expect(message, `event ${envelope.id} on course-events`).toBeDefined();
      expect(message?.key).toBe(envelope.aggregateId);
      expect(message?.headers).toMatchObject({
        "event-id": envelope.id,
        "event-type": "COURSE_UPDATED",
        "correlation-id": envelope.metadata.correlationId,
      });
      expect(JSON.parse(message?.value ?? "null")).toEqual(envelope);
    }
    for (const envelope of rolledBack) expect(byId.has(envelope.id), `rolled-back ${envelope.id}`).toBe(false);
  });

  it("keeps each aggregate's order: 100 aggregates × 100 events written concurrently with two bridges relaying show no inversion per key", async () => {
    const aggregates = Array.from({ length: 100 }, () => randomUUID());
    const expected = new Map<string, string[]>(aggregates.map((id) => [id, []]));
    const ids = new Set<string>();
    const config = bridgeConfig({ BRIDGE_BATCH_SIZE: "250", BRIDGE_SCHEMAS: "courses" });
    const bridges = await Promise.all([startBridge(config, { log: quiet }), startBridge(config, { log: quiet })]);
    try {
      await withClient(database.url, async (client) => {
        // Round by round: each transaction holds event n of every aggregate, so any batch spans many keys.
        for (let round = 0; round < 100; round++) {
          const envelopes: EventEnvelope[] = aggregates.map((id) => courseEvent(id));
          for (const envelope of envelopes) {
            expected.get(envelope.aggregateId)?.push(envelope.id);
            ids.add(envelope.id);
          }
          await client.query("BEGIN");
          await insertEvents(client, "courses", envelopes);
          await client.query("COMMIT");
        }
      });
      await drained();
      const relayed = bridges.reduce((sum, bridge) => sum + bridge.metrics.relayedTotal(), 0);
      expect(relayed).toBeGreaterThanOrEqual(10_000);
    } finally {
      await Promise.all(bridges.map((bridge) => bridge.stop()));
    }

    const messages = ours(await readTopic(brokers, "course-events"), ids);
    const firstSeen = new Map<string, string[]>();
    const seen = new Set<string>();
    const partitionOf = new Map<string, number>();
    for (const message of messages) {
      const key = message.key ?? "";
      const id = message.headers["event-id"] ?? "";
      expect(partitionOf.get(key) ?? message.partition, `key ${key} stays on one partition`).toBe(message.partition);
      partitionOf.set(key, message.partition);
      if (seen.has(id)) continue;
      seen.add(id);
      firstSeen.set(key, [...(firstSeen.get(key) ?? []), id]);
    }
    expect(seen.size).toBe(10_000);
    for (const [aggregate, order] of expected) expect(firstSeen.get(aggregate), `order of ${aggregate}`).toEqual(order);
  });

  it("does not publish past a row another transaction holds locked (the Queue relay claims the same table), and catches up once it is released", async () => {
    const course = randomUUID();
    const envelopes = [courseEvent(course), courseEvent(course), courseEvent(course)];
    await withClient(database.url, (client) => insertEvents(client, "courses", envelopes));
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM courses.outbox WHERE id = $1 FOR UPDATE", [envelopes[0]?.id]);
      await withBridge(bridgeConfig({ BRIDGE_SCHEMAS: "courses" }), async (bridge) => {
        await bridge.waitUntilHealthy(30_000);
        await sleep(1_500);
        expect(await withClient(database.url, (c) => unpublishedCount(c, "courses"))).toBe(3);
        await locker.query("COMMIT");
        await drained();
      });
    } finally {
      await locker.end();
    }
    const messages = ours(await readTopic(brokers, "course-events"), new Set(envelopes.map((e) => e.id)));
    expect(messages.map((m) => m.headers["event-id"])).toEqual(envelopes.map((e) => e.id));
  });
});

describe("a PostgreSQL outage", () => {
  it("is ridden out: the bridge reports 503 while the database is gone, reconnects when it is back, and relays what was written meanwhile", async () => {
    const target = new URL(database.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const envelopes = Array.from({ length: 50 }, () => courseEvent(randomUUID()));
    try {
      await withBridge(
        bridgeConfig({ DATABASE_URL: viaProxy.toString(), BRIDGE_SCHEMAS: "courses" }),
        async (bridge) => {
          await bridge.waitUntilHealthy(30_000);
          await proxy.cut();
          await expect
            .poll(
              async () => {
                const response = await fetch(`${bridge.statusUrl}/health`);
                const body = (await response.json()) as { postgres: { ok: boolean } };
                return response.status === 503 && !body.postgres.ok;
              },
              { timeout: 20_000, interval: 100, message: "a 503 naming PostgreSQL" },
            )
            .toBe(true);
          // Written straight to PostgreSQL, which the bridge cannot reach now.
          await withClient(database.url, (client) => insertEvents(client, "courses", envelopes));
          await sleep(1_000);
          await proxy.restore();
          await drained();
          await bridge.waitUntilHealthy(20_000);
          await expect
            .poll(() => bridge.health().postgres.listening, {
              timeout: 20_000,
              interval: 100,
              message: "LISTEN to be back",
            })
            .toBe(true);
        },
      );
    } finally {
      await proxy.close();
    }
    const ids = new Set(envelopes.map((e) => e.id));
    expect(
      ours(await readTopic(brokers, "course-events"), ids)
        .map((m) => m.headers["event-id"])
        .sort(),
    ).toEqual([...ids].sort());
  });
});

describe("/health and /metrics", () => {
  it("reports healthy, with relayed totals, zero lag and both dependencies up", async () => {
    const envelopes = Array.from({ length: 7 }, () => courseEvent(randomUUID()));
    await withBridge(bridgeConfig(), async (bridge) => {
      await bridge.waitUntilHealthy(30_000);
      await withClient(database.url, (client) => insertEvents(client, "courses", envelopes));
      await drained();
      await expect
        .poll(() => bridge.metrics.lag.get({ schema: "courses" }), {
          timeout: 10_000,
          interval: 100,
          message: "the lag gauge to come back to 0",
        })
        .toBe(0);

      const health = await fetch(`${bridge.statusUrl}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get("content-type")).toBe("application/json");
      const body = (await health.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: "ok",
        postgres: { ok: true, listening: true },
        kafka: { ok: true },
        inbound: null,
      });
      expect(body.schemas).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ schema: "courses", state: "relaying", relayed: 7, lastError: null }),
        ]),
      );

      const metrics = await fetch(`${bridge.statusUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const text = await metrics.text();
      expect(text).toContain("# TYPE kafka_bridge_events_relayed_total counter");
      expect(text).toContain('kafka_bridge_events_relayed_total{schema="courses",topic="course-events"} 7');
      expect(text).toContain('kafka_bridge_outbox_lag_events{schema="courses"} 0');
      expect(text).toContain('kafka_bridge_outbox_oldest_unpublished_age_seconds{schema="courses"} 0');
      expect(text).toContain('kafka_bridge_up{dependency="postgres"} 1');
      expect(text).toContain('kafka_bridge_up{dependency="kafka"} 1');
      expect(text).toMatch(/^kafka_bridge_batches_total\{schema="courses"\} [1-7]$/m);
      expect(text).toMatch(/^kafka_bridge_last_relay_timestamp_seconds\{schema="courses"\} \d{10}$/m);
      expect(text).toContain("# TYPE kafka_bridge_errors_total counter");

      expect((await fetch(`${bridge.statusUrl}/nothing-here`)).status).toBe(404);
    });
  });

  it("answers 503 with the reason while Kafka cannot be reached, keeps running, and shows the backlog in the lag gauges", async () => {
    const nowhere = "127.0.0.1:9"; // the discard port: nothing listens there
    await withClient(database.url, async (client) => {
      await insertEvents(client, "payments", [courseEvent(randomUUID()), courseEvent(randomUUID())]);
      await client.query(
        "UPDATE payments.outbox SET created_at = now() - interval '90 seconds' WHERE kafka_published_at IS NULL",
      );
    });
    try {
      await withBridge(bridgeConfig({ KAFKA_BROKERS: nowhere }), async (bridge) => {
        const body = await vi.waitFor(
          async () => {
            const response = await fetch(`${bridge.statusUrl}/health`);
            const json = (await response.json()) as {
              status: string;
              kafka: { ok: boolean; error: string | null };
              postgres: { ok: boolean };
            };
            expect(response.status === 503 && json.kafka.error !== "not checked yet", "a 503 naming Kafka").toBe(true);
            return json;
          },
          { timeout: 20_000, interval: 100 },
        );
        expect(body).toMatchObject({ status: "unavailable", kafka: { ok: false }, postgres: { ok: true } });
        expect(body.kafka.error).toBeTruthy();

        const text = await vi.waitFor(
          async () => {
            const metrics = await (await fetch(`${bridge.statusUrl}/metrics`)).text();
            expect(metrics, "the lag gauges").toContain('kafka_bridge_outbox_lag_events{schema="payments"} 2');
            return metrics;
          },
          { timeout: 10_000, interval: 100 },
        );
        const age = Number(
          /kafka_bridge_outbox_oldest_unpublished_age_seconds\{schema="payments"\} ([\d.]+)/.exec(text)?.[1],
        );
        expect(age).toBeGreaterThanOrEqual(90);
        expect(text).toContain('kafka_bridge_up{dependency="kafka"} 0');
        expect(text).toMatch(/^kafka_bridge_errors_total\{stage="probe_kafka"\} [1-9]\d*$/m);
      });
    } finally {
      // Leave nothing behind for the next test: these rows are for this one only.
      await withClient(database.url, (client) => client.query("DELETE FROM payments.outbox"));
    }
  });
});
