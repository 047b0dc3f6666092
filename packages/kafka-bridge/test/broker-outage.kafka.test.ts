import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startKafkaBroker, type KafkaBroker } from "@platform/kafka-broker";
import { killIfRunning, spawnBridge, type BridgeProcess } from "./support/bridge-process.ts";
import { courseEvent, freshDatabase, insertEvents, unpublishedCount, withClient } from "./support/database.ts";
import { idCounts, readTopic } from "../../../test/support/kafka-topics.ts";

const OUTAGE_MS = 30_000;

let dir: string;
let broker: KafkaBroker | undefined;
let bridge: BridgeProcess | undefined;
let database: Awaited<ReturnType<typeof freshDatabase>>;

const backlog = () => withClient(database.url, (c) => unpublishedCount(c, "courses"));

async function health(
  url: string,
): Promise<{ status: number; body: { status: string; kafka: { ok: boolean }; schemas: { state: string }[] } }> {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as never };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bridge-outage-"));
  chmodSync(dir, 0o755);
  // A broker of this file's own: it is stopped and started again, which the shared one must not be.
  [broker, database] = await Promise.all([
    startKafkaBroker({ dataDir: join(dir, "kafka"), defaultPartitions: 3 }),
    freshDatabase("outage"),
  ]);
});
afterAll(async () => {
  killIfRunning(bridge);
  await broker?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a Kafka outage", () => {
  it(`is ridden out: with the broker stopped for ${OUTAGE_MS / 1000} s the bridge stays up, reports 503, and afterwards the backlog drains with nothing lost`, async () => {
    if (!broker) throw new Error("no broker");
    const statusPort = await freePort();
    const statusUrl = `http://127.0.0.1:${statusPort}`;
    bridge = spawnBridge(
      {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: broker.brokers,
        BRIDGE_SCHEMAS: "courses,progress",
        BRIDGE_METRICS_PORT: String(statusPort),
        BRIDGE_POLL_MS: "250",
        BRIDGE_PROBE_MS: "500",
      },
      join(dir, "bridge.log"),
    );
    await expect
      .poll(async () => (await health(statusUrl)).status, {
        timeout: 60_000,
        interval: 100,
        message: "the bridge to be healthy",
      })
      .toBe(200);

    const ids = new Set<string>();
    const write = async (count: number) =>
      withClient(database.url, async (client) => {
        const envelopes = Array.from({ length: count }, () => courseEvent(randomUUID()));
        await insertEvents(client, "courses", envelopes);
        for (const envelope of envelopes) ids.add(envelope.id);
      });
    await write(200);
    await expect.poll(backlog, { timeout: 30_000, interval: 100, message: "the first events to be relayed" }).toBe(0);

    await broker.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    let sawUnavailable = false;
    while (Date.now() < outageEnds) {
      await write(50);
      const { status, body } = await health(statusUrl);
      if (status === 503 && !body.kafka.ok) sawUnavailable = true;
      expect(bridge.child.exitCode, "the bridge exited during the outage").toBeNull();
      await sleep(1_000);
    }
    expect(sawUnavailable, "/health answered 503 with kafka.ok false during the outage").toBe(true);
    expect(await backlog()).toBeGreaterThan(1_000);

    await broker.start();
    await expect.poll(backlog, { timeout: 90_000, interval: 250, message: "the backlog to drain" }).toBe(0);
    await expect
      .poll(async () => (await health(statusUrl)).status, {
        timeout: 30_000,
        interval: 100,
        message: "/health to answer 200 again",
      })
      .toBe(200);
    expect(bridge.child.exitCode).toBeNull();

    const counts = idCounts(await readTopic(broker.brokers, "course-events"));
    const missing = [...ids].filter((id) => !counts.has(id));
    expect(missing, `${missing.length} of ${ids.size} events missing`).toEqual([]);

    bridge.child.kill("SIGTERM");
    expect(await bridge.exited).toEqual({ code: 0, signal: null });
    const messages = bridge.logLines();
    expect(
      messages.some(
        (line) => line.msg === "publishing to Kafka failed; will retry" || line.msg === "kafka does not answer",
      ),
    ).toBe(true);
    expect(messages.some((line) => line.msg === "kafka answers again")).toBe(true);
  });
});
