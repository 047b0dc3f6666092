import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { EventEnvelope } from "@platform/events";
import { killIfRunning, spawnBridge, type BridgeProcess } from "./support/bridge-process.ts";
import {
  courseEvent,
  freshDatabase,
  insertEvents,
  publishedIds,
  unpublishedCount,
  withClient,
} from "./support/database.ts";
import { idCounts, readTopic } from "../../../test/support/kafka-topics.ts";

const brokers = inject("kafkaBrokers");
let database: Awaited<ReturnType<typeof freshDatabase>>;
let logDir: string;
const running = new Set<BridgeProcess>();

function bridgeProcess(extraEnv: Record<string, string> = {}): BridgeProcess {
  const bridge = spawnBridge(
    {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      BRIDGE_SCHEMAS: "courses",
      BRIDGE_METRICS_PORT: "0",
      BRIDGE_POLL_MS: "200",
      BRIDGE_BATCH_SIZE: "200",
      ...extraEnv,
    },
    join(logDir, "bridge.log"),
  );
  running.add(bridge);
  void bridge.exited.then(() => running.delete(bridge));
  return bridge;
}

async function killNine(bridge: BridgeProcess): Promise<void> {
  bridge.child.kill("SIGKILL");
  const { signal } = await bridge.exited;
  expect(signal).toBe("SIGKILL");
}

const published = () => withClient(database.url, async (client) => (await publishedIds(client, "courses")).size);

/** Connections to the test's database other than the one asking (the bridge's, while it runs). */
const otherConnections = () =>
  withClient(database.url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return rows[0]?.n ?? 0;
  });

beforeAll(async () => {
  database = await freshDatabase("crash");
  logDir = mkdtempSync(join(tmpdir(), "bridge-crash-"));
});
afterAll(async () => {
  for (const bridge of running) killIfRunning(bridge);
  await database?.drop();
  rmSync(logDir, { recursive: true, force: true });
});

describe("the bridge killed mid-stream", () => {
  it("loses nothing: SIGKILLed again and again while 10,000 events are written, every committed event reaches Kafka, and no rolled-back one does", async () => {
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let writing = true;
    let kills = 0;
    let killsWithBacklog = 0;
    const writer = withClient(database.url, async (client) => {
      // 100 committed transactions of 100 events, and after every fifth a rolled-back one of 20.
      for (let batch = 0; batch < 100; batch++) {
        // Spread the kills over the writing: every 20 transactions, wait (bounded) for one more.
        if (batch > 0 && batch % 20 === 0) {
          const wanted = batch / 20;
          await vi
            .waitFor(
              () => {
                if (killsWithBacklog < wanted) throw new Error(`kill ${wanted} during the writing: not yet`);
              },
              { timeout: 30_000, interval: 20 },
            )
            .catch(() => {});
        }
        const envelopes: EventEnvelope[] = Array.from({ length: 100 }, () => courseEvent(randomUUID(), 600));
        await client.query("BEGIN");
        await insertEvents(client, "courses", envelopes);
        await client.query("COMMIT");
        for (const envelope of envelopes) committed.add(envelope.id);
        if (batch % 5 === 4) {
          const doomed = Array.from({ length: 20 }, () => courseEvent(randomUUID(), 600));
          await client.query("BEGIN");
          await insertEvents(client, "courses", doomed);
          await client.query("ROLLBACK");
          for (const envelope of doomed) rolledBack.add(envelope.id);
        }
        await sleep(40);
      }
    }).finally(() => {
      writing = false;
    });

    // Start it, let it get going (it has published something), kill -9 at a random moment soon after; repeat.
    const backlog = () => withClient(database.url, (client) => unpublishedCount(client, "courses"));
    while ((writing || kills < 4) && kills < 20) {
      const before = await published();
      const bridge = bridgeProcess();
      // Until it has published something, unless there is nothing to publish.
      await expect
        .poll(async () => (await published()) > before || (await backlog()) === 0, {
          timeout: 30_000,
          interval: 10,
          message: "the bridge to publish something",
        })
        .toBe(true);
      await sleep(Math.floor(Math.random() * 40));
      const left = await backlog();
      await killNine(bridge);
      kills += 1;
      if (left > 0) killsWithBacklog += 1;
    }
    await writer;
    expect(committed.size).toBe(10_000);
    expect(kills).toBeGreaterThanOrEqual(4);
    // Killed while it still had rows to relay, not only while idle.
    expect(killsWithBacklog).toBeGreaterThanOrEqual(3);

    // A bridge that is left alone catches up.
    const last = bridgeProcess();
    await expect
      .poll(() => withClient(database.url, (client) => unpublishedCount(client, "courses")), {
        timeout: 90_000,
        interval: 100,
        message: "every committed event to be published",
      })
      .toBe(0);
    last.child.kill("SIGTERM");
    expect(await last.exited).toEqual({ code: 0, signal: null });

    const counts = idCounts(await readTopic(brokers, "course-events"));
    const missing = [...committed].filter((id) => !counts.has(id));
    expect(missing, `${missing.length} committed events missing from Kafka`).toEqual([]);
    expect(
      [...rolledBack].filter((id) => counts.has(id)),
      "rolled-back events in Kafka",
    ).toEqual([]);
    const duplicates = [...committed].reduce((sum, id) => sum + (counts.get(id) ?? 0) - 1, 0);
    console.log(
      `[kafka] ${kills} SIGKILLs (${killsWithBacklog} with a backlog) while writing 10,000 events: none missing, ${duplicates} duplicates (allowed: at least once)`,
    );
  });
});

describe("SIGTERM", () => {
  it("exits 0 after finishing the batch in hand: everything it produced is marked published and nothing marked is missing from Kafka", async () => {
    const ids = new Set<string>();
    await withClient(database.url, async (client) => {
      for (let chunk = 0; chunk < 6; chunk++) {
        const envelopes = Array.from({ length: 5_000 }, () => courseEvent(randomUUID(), 800));
        await insertEvents(client, "courses", envelopes);
        for (const envelope of envelopes) ids.add(envelope.id);
      }
    });
    const before = await published();
    const bridge = bridgeProcess({ BRIDGE_BATCH_SIZE: "500" });
    await expect
      .poll(published, { timeout: 30_000, interval: 100, message: "the bridge to be relaying" })
      .toBeGreaterThanOrEqual(before + 1_000);
    bridge.child.kill("SIGTERM");
    const exit = await Promise.race([bridge.exited, sleep(30_000).then(() => "still running after 30 s")]);
    expect(exit).toEqual({ code: 0, signal: null });

    const marked = await withClient(database.url, async (client) => {
      // Nothing left half-done: no transaction of the bridge open, no row lock held. Client sessions
      // only: after 30,000 inserts an autovacuum worker may be analysing the outbox (it shows as
      // active in this database), which is PostgreSQL's, not the bridge's.
      const busySessions = async () =>
        (
          await client.query<{ backend_type: string; state: string; query: string }>(
            `SELECT backend_type, state, left(query, 200) AS query FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND backend_type = 'client backend' AND state <> 'idle'`,
          )
        ).rows;
      expect(await busySessions()).toEqual([]);
      return publishedIds(client, "courses");
    });
    const ours = [...ids].filter((id) => marked.has(id));
    expect(ours.length, "it stopped part-way through the backlog").toBeLessThan(ids.size);
    expect(ours.length).toBeGreaterThan(0);

    const inKafka = new Set(
      [...idCounts(await readTopic(brokers, "course-events")).keys()].filter((id) => ids.has(id)),
    );
    expect(
      [...inKafka].filter((id) => !marked.has(id)),
      "produced but not marked published",
    ).toEqual([]);
    expect(
      ours.filter((id) => !inKafka.has(id)),
      "marked published but not in Kafka",
    ).toEqual([]);

    const lines = bridge.logLines().map((line) => line.msg);
    expect(lines).toContain("SIGTERM received");
    expect(lines.at(-1)).toBe("kafka bridge stopped");
  });
});

describe("the process", () => {
  it("refuses to start without its settings, naming what is missing (exit code 2)", async () => {
    const bridge = spawnBridge({ KAFKA_BROKERS: brokers }, join(logDir, "config.log"));
    expect(await bridge.exited).toEqual({ code: 2, signal: null });
  });

  it("does not leave a connection behind in PostgreSQL after a SIGKILL (the server aborts the claim)", async () => {
    const bridge = bridgeProcess();
    await expect
      .poll(otherConnections, { timeout: 20_000, interval: 100, message: "the bridge to connect" })
      .toBeGreaterThan(0);
    await killNine(bridge);
    await expect
      .poll(otherConnections, { timeout: 20_000, interval: 100, message: "its connections to close" })
      .toBe(0);
  });
});
