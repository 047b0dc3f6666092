import pg from "pg";
import { configFromEnv, kafkajsClient, startBridge, type KafkaClientFactory } from "@platform/kafka-bridge";
import { BUDGETS } from "../budgets.ts";
import { summarizeLatency } from "../latency.ts";
import type { KafkaLatencyMeasurement } from "../measurements.ts";
import { benchEvent, EVENT_BYTES, insertOutbox } from "../outbox-events.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "kafka-commit-to-ack-latency";
const RATE = 200;

/**
 * The bridge's own Kafka client, with the moment each send is acknowledged noted per event id:
 * the end of the path being measured, taken where it happens rather than at a consumer.
 */
function recordingAcks(acks: Map<string, number>): KafkaClientFactory {
  return (options) => {
    const client = kafkajsClient(options);
    return {
      ...client,
      producer: () => {
        const producer = client.producer();
        return {
          send: async (messages) => {
            await producer.send(messages);
            const at = performance.now();
            for (const message of messages) {
              const id = message.headers["event-id"];
              if (id && !acks.has(id)) acks.set(id, at);
            }
          },
          close: () => producer.close(),
        };
      },
    };
  };
}

/** One event per transaction (a single INSERT commits on its own), evenly paced; returns each event's commit time. */
async function paced(
  client: pg.Client,
  rate: number,
  seconds: number,
): Promise<{ commits: Map<string, number>; elapsedMs: number }> {
  const commits = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const envelopes = Array.from({ length: total }, () => benchEvent());
  const start = performance.now();
  for (const [index, envelope] of envelopes.entries()) {
    const wait = start + index * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await insertOutbox(client, [envelope]);
    commits.set(envelope.id, performance.now());
  }
  return { commits, elapsedMs: performance.now() - start };
}

async function allAcked(acks: Map<string, number>, ids: Iterable<string>, timeoutMs: number): Promise<void> {
  const waiting = [...ids];
  const deadline = performance.now() + timeoutMs;
  while (waiting.some((id) => !acks.has(id)) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

export const kafkaCommitToAckLatency: Scenario = {
  name: NAME,
  description:
    `The Kafka bridge (default settings, in this process) against a real Kafka broker, while events of ${EVENT_BYTES} bytes ` +
    `are committed one per transaction at a steady ${RATE}/s: for each event, the time from its commit returning to ` +
    "Kafka acknowledging it (acks = -1) to the bridge, woken by LISTEN/NOTIFY. p50/p95/p99 against the p95 ≤ 1 s budget.",
  async run({ kafka, durations, say }) {
    const acks = new Map<string, number>();
    const config = configFromEnv({
      DATABASE_URL: await kafka.database("bench_latency"),
      KAFKA_BROKERS: await kafka.brokers(),
      BRIDGE_SCHEMAS: "courses",
      BRIDGE_METRICS_PORT: "0",
    });
    const bridge = await startBridge(config, {
      kafkaClient: recordingAcks(acks),
      log: (level, msg, fields) => {
        if (level !== "info") say(`${NAME}: bridge ${level}: ${msg} ${JSON.stringify(fields ?? {})}`);
      },
    });
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      await bridge.waitUntilHealthy(60_000);
      say(`${NAME}: warming up (${durations.warmUpSeconds} s at ${RATE}/s) …`);
      const warm = await paced(client, RATE, durations.warmUpSeconds);
      await allAcked(acks, warm.commits.keys(), 30_000);

      const { rounds, secondsPerRound } = durations.fixedRate;
      const samples: number[] = [];
      let missing = 0;
      let events = 0;
      let elapsedMs = 0;
      for (let round = 1; round <= rounds; round++) {
        const run = await paced(client, RATE, secondsPerRound);
        await allAcked(acks, run.commits.keys(), 30_000);
        for (const [id, committedAt] of run.commits) {
          const ackedAt = acks.get(id);
          if (ackedAt === undefined) missing += 1;
          else samples.push(ackedAt - committedAt);
        }
        events += run.commits.size;
        elapsedMs += run.elapsedMs;
        say(`${NAME}: round ${round}/${rounds}: ${run.commits.size} events`);
      }
      const measurement: KafkaLatencyMeasurement = {
        kind: "kafka-latency",
        scenario: NAME,
        targetRate: RATE,
        achievedRate: events / (elapsedMs / 1000),
        events,
        rounds,
        durationSeconds: elapsedMs / 1000,
        eventBytes: EVENT_BYTES,
        latencyMs: summarizeLatency(Float64Array.from(samples)),
        missing,
        budgetP95Ms: BUDGETS.kafkaCommitToAckP95Ms,
      };
      return [measurement];
    } finally {
      await client.end();
      await bridge.stop();
    }
  },
};
