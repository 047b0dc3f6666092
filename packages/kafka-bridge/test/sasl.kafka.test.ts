import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { configFromEnv, startBridge, type Bridge, type BridgeConfig } from "../src/index.ts";
import { courseEvent, freshDatabase, insertEvents, unpublishedCount, withClient } from "./support/database.ts";
import { readTopic } from "../../../test/support/kafka-topics.ts";

/**
 * The bridge against the shared broker's SASL/SCRAM listener (test/setup/kafka.ts creates its one
 * user when it formats the storage). Loopback without TLS, so the bridge must be told that is on
 * purpose (KAFKA_ALLOW_SASL_PLAINTEXT); everything else is what production sets.
 */
const scramBrokers = inject("kafkaScramBrokers");
const plainBrokers = inject("kafkaBrokers");
const user = inject("kafkaScramUser");
let database: Awaited<ReturnType<typeof freshDatabase>>;

interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

function bridgeConfig(credentials: Record<string, string>): BridgeConfig {
  return configFromEnv({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: scramBrokers,
    BRIDGE_SCHEMAS: "courses",
    BRIDGE_METRICS_PORT: "0",
    BRIDGE_POLL_MS: "200",
    BRIDGE_PROBE_MS: "300",
    KAFKA_ALLOW_SASL_PLAINTEXT: "true",
    ...credentials,
  });
}

async function withBridge<T>(config: BridgeConfig, work: (bridge: Bridge, lines: LogLine[]) => Promise<T>) {
  const lines: LogLine[] = [];
  const bridge = await startBridge(config, { log: (level, msg, fields = {}) => lines.push({ level, msg, fields }) });
  try {
    return await work(bridge, lines);
  } finally {
    await bridge.stop();
  }
}

const unpublished = () => withClient(database.url, (client) => unpublishedCount(client, "courses"));

beforeAll(async () => {
  expect(scramBrokers, "the kafka setup starts the broker with a SCRAM listener").toMatch(/^127\.0\.0\.1:\d+$/);
  database = await freshDatabase("sasl");
});
afterAll(async () => {
  await database?.drop();
});

describe("the bridge with SASL/SCRAM", () => {
  it.each(["SCRAM-SHA-512", "SCRAM-SHA-256"])(
    "relays the outbox when its %s credentials are right",
    async (mechanism) => {
      const envelope = courseEvent(randomUUID());
      await withClient(database.url, (client) => insertEvents(client, "courses", [envelope]));
      const config = bridgeConfig({
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: user.username,
        KAFKA_SASL_PASSWORD: user.password,
      });
      await withBridge(config, async (bridge, lines) => {
        await bridge.waitUntilHealthy(60_000);
        await vi.waitFor(async () => expect(await unpublished()).toBe(0), { timeout: 60_000, interval: 200 });
        expect(lines.find((line) => line.msg === "kafka bridge started")?.fields).toMatchObject({
          kafkaSecurity: `SASL_PLAINTEXT (${mechanism} as ${user.username})`,
        });
        expect(JSON.stringify(lines)).not.toContain(user.password);
      });
      // Read back through the broker's other listener: the event really reached the topic.
      const ids = (await readTopic(plainBrokers, "course-events")).map((message) => message.headers["event-id"]);
      expect(ids).toContain(envelope.id);
    },
  );

  it.each([
    ["a wrong password", { KAFKA_SASL_USERNAME: "platform-bridge", KAFKA_SASL_PASSWORD: "not-the-password" }],
    ["an unknown user", { KAFKA_SASL_USERNAME: "someone-else", KAFKA_SASL_PASSWORD: "whatever-it-is" }],
  ])("is refused with %s: nothing is published and /health says Kafka is down", async (_case, credentials) => {
    const envelope = courseEvent(randomUUID());
    await withClient(database.url, (client) => insertEvents(client, "courses", [envelope]));
    const config = bridgeConfig({ KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", ...credentials });
    await withBridge(config, async (bridge, lines) => {
      await vi.waitFor(() => expect(JSON.stringify(lines)).toMatch(/SASL SCRAM SHA-?512 authentication failed/i), {
        timeout: 30_000,
        interval: 200,
      });
      // Several probe rounds later, still refused: the row waits, unpublished.
      await sleep(2_000);
      expect(bridge.health()).toMatchObject({ status: "unavailable", kafka: { ok: false } });
      expect(await unpublished()).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(lines)).not.toContain(credentials.KAFKA_SASL_PASSWORD);
    });
    // The next test's bridge (or none) must not find this row published by someone else's retry.
    await withClient(database.url, (client) => client.query("DELETE FROM courses.outbox WHERE id = $1", [envelope.id]));
  });
});
