import pg from "pg";
import { summarizeLatency, type LatencySummary } from "../latency.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "queue-delivery-latency";
const RATE = 5;

/**
 * Registrations at a steady rate; for each one's USER_CREATED, two spans read from PostgreSQL's
 * own clock: commit → on the Queue (`queued_at`, the request-time fast path) and commit → applied
 * by the users service (`processed_at`, after the events worker routed it).
 */
export interface QueueLatencyMeasurement {
  readonly kind: "queue-latency";
  readonly scenario: string;
  readonly targetRate: number;
  readonly events: number;
  /** Registrations whose event was not applied within 60 s. */
  readonly missing: number;
  readonly toQueueMs: LatencySummary;
  readonly toConsumerMs: LatencySummary;
}

function clientAddress(i: number): string {
  return `198.19.${100 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

async function register(baseUrl: string, runId: string, i: number): Promise<string | undefined> {
  const response = await fetch(new URL("/api/auth/register", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": clientAddress(i) },
    body: JSON.stringify({
      email: `queue-bench-${runId}-${i}@example.com`,
      password: "a perfectly fine passphrase",
      name: `Bench ${i}`,
    }),
  });
  const body = (await response.json()) as { id?: string };
  return response.status === 201 ? body.id : undefined;
}

export const queueDeliveryLatency: Scenario = {
  name: NAME,
  description:
    `POST /api/auth/register at ${RATE}/s; for each USER_CREATED, outbox commit → on the platform-events Queue ` +
    "(the fast path after the response) and → applied by the users service (through the events worker and its RPC), " +
    "from PostgreSQL timestamps.",
  async run({ platform, durations, say }) {
    const [baseUrl, databaseUrl] = await Promise.all([platform.gatewayUrl(), platform.databaseUrl()]);
    const seconds = durations.fixedRate.rounds * durations.fixedRate.secondsPerRound;
    const total = Math.max(10, Math.round(RATE * seconds));
    const runId = Date.now().toString(36);
    say(`${NAME}: ${total} registrations at ${RATE}/s …`);
    const started = performance.now();
    const pending: Array<Promise<string | undefined>> = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      pending.push(register(baseUrl, runId, i));
    }
    const ids = (await Promise.all(pending)).filter((id): id is string => id !== undefined);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const query = `select extract(epoch from (o.queued_at - o.created_at)) * 1000 as to_queue,
                            extract(epoch from (p.processed_at - o.created_at)) * 1000 as to_consumer
                       from auth.outbox o left join users.processed_events p on p.event_id = o.id
                      where o.type = 'USER_CREATED' and o.aggregate_id = any($1)`;
      const deadline = Date.now() + 60_000;
      let rows: Array<{ to_queue: number | null; to_consumer: number | null }> = [];
      do {
        ({ rows } = await client.query(query, [ids]));
        if (rows.every((row) => row.to_consumer !== null)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      } while (Date.now() < deadline);
      const applied = rows.filter((row) => row.to_consumer !== null && row.to_queue !== null);
      const measurement: QueueLatencyMeasurement = {
        kind: "queue-latency",
        scenario: NAME,
        targetRate: RATE,
        events: ids.length,
        missing: ids.length - applied.length,
        toQueueMs: summarizeLatency(Float64Array.from(applied.map((row) => Number(row.to_queue)))),
        toConsumerMs: summarizeLatency(Float64Array.from(applied.map((row) => Number(row.to_consumer)))),
      };
      say(
        `${NAME}: to the Queue p50 ${measurement.toQueueMs.p50.toFixed(0)} ms, applied p50 ${measurement.toConsumerMs.p50.toFixed(0)} ms, p95 ${measurement.toConsumerMs.p95.toFixed(0)} ms`,
      );
      return [measurement];
    } finally {
      await client.end();
    }
  },
};

export function renderQueueLatency(rows: readonly QueueLatencyMeasurement[]): string {
  const fmt = (s: LatencySummary) =>
    `p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`;
  return [
    "| scenario | load | events | commit → on the Queue | commit → applied by the consumer |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (m) =>
        `| ${m.scenario} | ${m.targetRate} registrations/s | ${m.events}${m.missing ? ` (**${m.missing} not applied**)` : ""} | ${fmt(m.toQueueMs)} | ${fmt(m.toConsumerMs)} |`,
    ),
    "",
    "Local Queues deliver in batches (`max_batch_timeout` 1 s), so the consumer span includes up to a second of batching.",
  ].join("\n");
}
