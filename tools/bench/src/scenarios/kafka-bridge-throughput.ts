import pg from "pg";
import { configFromEnv, startBridge } from "@platform/kafka-bridge";
import { BUDGETS } from "../budgets.ts";
import type { KafkaThroughputMeasurement } from "../measurements.ts";
import { benchEvent, EVENT_BYTES, insertOutbox } from "../outbox-events.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "kafka-bridge-throughput";
/** A round's backlog is this many events per second of the schedule's round length (30,000 in a full run). */
const EVENTS_PER_ROUND_SECOND = 6_000;
const WARM_UP_EVENTS = 2_000;
/** Rows per INSERT statement while building a backlog (all of a round still commit together). */
const INSERT_CHUNK = 5_000;

/** Waits until the bridge has relayed `target` events in all, checking every few milliseconds. */
async function relayed(count: () => number, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (count() < target) {
    if (performance.now() > deadline)
      throw new Error(`${NAME}: only ${count()} of ${target} events relayed in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now();
}

export const kafkaBridgeThroughput: Scenario = {
  name: NAME,
  description:
    `The Kafka bridge (its default settings, in this process) against a real Kafka broker: a backlog of ${EVENT_BYTES}-byte ` +
    "events committed in one transaction to the courses outbox (30,000 per round; 18,000 with --quick); the time from " +
    "that commit until the bridge has " +
    "relayed (acks = -1) and marked every event gives events per second, against the ≥ 5,000/s budget.",
  async run({ kafka, durations, say }) {
    const eventsPerRound = durations.maxThroughput.secondsPerRound * EVENTS_PER_ROUND_SECOND;
    const rounds = durations.maxThroughput.rounds;
    const config = configFromEnv({
      DATABASE_URL: await kafka.database("bench_throughput"),
      KAFKA_BROKERS: await kafka.brokers(),
      BRIDGE_SCHEMAS: "courses",
      BRIDGE_METRICS_PORT: "0",
    });
    const bridge = await startBridge(config, {
      log: (level, msg, fields) => {
        if (level !== "info") say(`${NAME}: bridge ${level}: ${msg} ${JSON.stringify(fields ?? {})}`);
      },
    });
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      await bridge.waitUntilHealthy(60_000);
      const commitBacklog = async (count: number) => {
        const envelopes = Array.from({ length: count }, () => benchEvent());
        await client.query("BEGIN");
        for (let at = 0; at < envelopes.length; at += INSERT_CHUNK)
          await insertOutbox(client, envelopes.slice(at, at + INSERT_CHUNK));
        await client.query("COMMIT");
        return performance.now();
      };
      say(`${NAME}: warming up (${WARM_UP_EVENTS.toLocaleString("en-US")} events) …`);
      await commitBacklog(WARM_UP_EVENTS);
      await relayed(() => bridge.metrics.relayedTotal(), WARM_UP_EVENTS, 120_000);

      const roundEventsPerSecond: number[] = [];
      let seconds = 0;
      for (let round = 1; round <= rounds; round++) {
        const before = bridge.metrics.relayedTotal();
        const committedAt = await commitBacklog(eventsPerRound);
        const doneAt = await relayed(() => bridge.metrics.relayedTotal(), before + eventsPerRound, 300_000);
        const roundSeconds = (doneAt - committedAt) / 1000;
        seconds += roundSeconds;
        roundEventsPerSecond.push(eventsPerRound / roundSeconds);
        say(
          `${NAME}: round ${round}/${rounds}: ${eventsPerRound.toLocaleString("en-US")} events in ${roundSeconds.toFixed(2)} s`,
        );
      }
      const measurement: KafkaThroughputMeasurement = {
        kind: "kafka-throughput",
        scenario: NAME,
        eventBytes: EVENT_BYTES,
        batchSize: config.batchSize,
        eventsPerRound,
        rounds,
        seconds,
        eventsPerSecond: (eventsPerRound * rounds) / seconds,
        roundEventsPerSecond,
        budget: BUDGETS.kafkaBridgeEventsPerSecond,
      };
      return [measurement];
    } finally {
      await client.end();
      await bridge.stop();
    }
  },
};
