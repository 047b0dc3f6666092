import type pg from "pg";
import type { TopicAdmin } from "./kafka-client.ts";
import { errorText, type Logger } from "./log.ts";
import type { BridgeMetrics } from "./metrics.ts";
import { backlogOf } from "./outbox.ts";

export interface DependencyStatus {
  readonly ok: boolean;
  readonly error: string | null;
  readonly checkedAt: string | null;
}

export interface Probes {
  postgres(): DependencyStatus;
  kafka(): DependencyStatus;
  /** Probes now (and refreshes the lag gauges); the regular timer goes on. */
  probeNow(): Promise<void>;
  stop(): Promise<void>;
}

const UNDEFINED_TABLE = "42P01";
const INVALID_SCHEMA_NAME = "3F000";

/**
 * Asks PostgreSQL and Kafka regularly whether they answer, for /health and the `up` gauge, and
 * refreshes the lag gauges from each schema's outbox on the way. A relay that has nothing to do
 * would otherwise not notice an outage until its next batch.
 */
export function startProbes(options: {
  readonly pool: pg.Pool;
  readonly admin: TopicAdmin;
  readonly schemas: readonly string[];
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly intervalMs: number;
  /** Called when a dependency answers again after it did not. */
  readonly onRecovered?: (dependency: "postgres" | "kafka") => void;
}): Probes {
  const { metrics, log } = options;
  let postgres: DependencyStatus = { ok: false, error: "not checked yet", checkedAt: null };
  let kafka: DependencyStatus = { ok: false, error: "not checked yet", checkedAt: null };

  const record = (dependency: "postgres" | "kafka", previous: DependencyStatus, error: unknown): DependencyStatus => {
    const ok = error === undefined;
    const next = { ok, error: ok ? null : errorText(error), checkedAt: new Date().toISOString() };
    metrics.up.set({ dependency }, ok ? 1 : 0);
    if (!ok) metrics.recordError(dependency === "postgres" ? "probe_postgres" : "probe_kafka");
    if (ok && !previous.ok && previous.checkedAt !== null) {
      log("info", `${dependency} answers again`);
      options.onRecovered?.(dependency);
    }
    if (!ok && (previous.ok || previous.checkedAt === null))
      log("warn", `${dependency} does not answer`, { error: next.error });
    return next;
  };

  const probePostgres = async () => {
    let client: pg.PoolClient | undefined;
    const ignore = () => {}; // see the relay: the failed query is what counts
    try {
      client = await options.pool.connect();
      client.on("error", ignore);
      for (const schema of options.schemas) {
        try {
          const backlog = await backlogOf(client, schema);
          metrics.lag.set({ schema }, backlog.unpublished);
          metrics.oldestAge.set({ schema }, backlog.oldestAgeSeconds);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== UNDEFINED_TABLE && code !== INVALID_SCHEMA_NAME) throw error;
        }
      }
      client.off("error", ignore);
      client.release();
      postgres = record("postgres", postgres, undefined);
    } catch (error) {
      client?.off("error", ignore);
      client?.release(true);
      postgres = record("postgres", postgres, error);
    }
  };

  const probeKafka = async () => {
    try {
      await options.admin.ping(Math.min(5_000, Math.max(1_000, options.intervalMs)));
      kafka = record("kafka", kafka, undefined);
    } catch (error) {
      kafka = record("kafka", kafka, error);
    }
  };

  let running: Promise<void> | undefined;
  const probeNow = () =>
    (running ??= Promise.all([probePostgres(), probeKafka()]).then(() => void (running = undefined)));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (!stopped) timer = setTimeout(() => void probeNow().finally(schedule), options.intervalMs);
  };
  void probeNow().finally(schedule);

  return {
    postgres: () => postgres,
    kafka: () => kafka,
    probeNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
