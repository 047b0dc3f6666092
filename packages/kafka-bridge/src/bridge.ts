import pg from "pg";
import { TOPICS } from "@platform/events";
import { redactedUrl, type BridgeConfig } from "./config.ts";
import { serveStatus } from "./http.ts";
import { startInbound, type InboundRunner } from "./inbound-runner.ts";
import type { InboundStatus } from "./inbound.ts";
import type { KafkaClientFactory } from "./kafka-client.ts";
import { kafkajsClient } from "./kafkajs-client.ts";
import { describeSecurity } from "./kafka-security.ts";
import { startOutboxListener } from "./listener.ts";
import { errorText, jsonLogger, type Logger } from "./log.ts";
import { BridgeMetrics } from "./metrics.ts";
import { startProbes, type DependencyStatus } from "./probes.ts";
import { startSchemaRelay, type RelayStatus } from "./relay.ts";
import { topicRegistry } from "./topics.ts";

export interface BridgeOptions {
  /** Where log lines go (default: JSON lines on stdout). */
  readonly log?: Logger;
  /** The Kafka client implementation (default: kafkajs). */
  readonly kafkaClient?: KafkaClientFactory;
  /** For the inbound side's HTTP calls (default: the global fetch). */
  readonly fetch?: typeof fetch;
  /** How long `stop()` lets the batches in hand finish before it closes the connections under them (default 20 s). */
  readonly shutdownGraceMs?: number;
}

export interface BridgeHealth {
  readonly status: "ok" | "unavailable";
  readonly postgres: DependencyStatus & { readonly listening: boolean };
  readonly kafka: DependencyStatus;
  readonly schemas: readonly RelayStatus[];
  readonly inbound: Readonly<InboundStatus> | null;
  readonly relayedTotal: number;
  readonly startedAt: string;
}

export interface Bridge {
  /** Where `/metrics` and `/health` are served, e.g. `http://127.0.0.1:9464`. */
  readonly statusUrl: string;
  readonly metrics: BridgeMetrics;
  health(): BridgeHealth;
  /** Resolves once /health would answer 200; rejects after `timeoutMs`. */
  waitUntilHealthy(timeoutMs: number): Promise<void>;
  /** Finishes the batches in hand (produced, marked published, committed), then closes everything. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the Kafka bridge: every configured schema's outbox relayed to its Kafka topic, and (when
 * configured) integrators' events from the inbound topic handed to the platform. It returns as
 * soon as `/metrics` and `/health` listen; PostgreSQL and Kafka may come later, or go and come
 * back: the bridge retries with backoff and never gives up on them. Only a bad configuration or
 * a busy status port makes it throw.
 */
export async function startBridge(config: BridgeConfig, options: BridgeOptions = {}): Promise<Bridge> {
  const log = options.log ?? jsonLogger();
  const startedAt = new Date().toISOString();
  const metrics = new BridgeMetrics(config.schemas);
  const client = (options.kafkaClient ?? kafkajsClient)({
    brokers: config.brokers,
    clientId: config.clientId,
    security: config.kafkaSecurity,
    log: (level, message, fields) => log(level, message, fields),
  });

  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    // One connection per schema relay, one for the probes, and room for a reconnect.
    max: config.schemas.length + 2,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection dropped by the server must not crash the process; the next checkout reconnects.
  pool.on("error", (error) => log("warn", "idle PostgreSQL connection failed", { error: errorText(error) }));

  let health: () => BridgeHealth = () => {
    throw new Error("not started");
  };
  const server = await serveStatus({
    host: config.metricsHost,
    port: config.metricsPort,
    metrics: () => metrics.render(),
    health: () => {
      const report = health();
      return { ok: report.status === "ok", body: report };
    },
  }).catch(async (error: unknown) => {
    await pool.end().catch(() => {});
    throw new Error(
      `The bridge's status server could not listen on ${config.metricsHost}:${config.metricsPort}: ${errorText(error)}`,
      {
        cause: error,
      },
    );
  });

  const admin = client.admin();
  const producer = client.producer();
  const topics = topicRegistry(
    admin,
    { partitions: config.topicPartitions, replicationFactor: config.topicReplicationFactor },
    log,
  );
  const relays = config.schemas.map((schema) =>
    startSchemaRelay({
      schema,
      pool,
      producer,
      topics,
      baseTopics: TOPICS,
      metrics,
      log,
      batchSize: config.batchSize,
      pollMs: config.pollMs,
    }),
  );
  const relayOf = new Map(config.schemas.map((schema, index) => [schema, relays[index]]));
  const listener = startOutboxListener({
    databaseUrl: config.databaseUrl,
    onNotify: (schema) => relayOf.get(schema)?.wake(),
    onReconnect: () => relays.forEach((relay) => relay.wake()),
    log,
    metrics,
  });
  const probes = startProbes({
    pool,
    admin,
    schemas: config.schemas,
    metrics,
    log,
    intervalMs: config.probeMs,
    // After an outage, relay the backlog as soon as the probe sees the way clear, not when the backoff ends.
    onRecovered: (dependency) => {
      if (dependency === "postgres") listener.reconnectNow();
      relays.forEach((relay) => relay.retryNow());
    },
  });
  const inbound: InboundRunner | undefined = config.inbound
    ? startInbound({ config: config.inbound, client, producer, topics, metrics, log, fetch: options.fetch })
    : undefined;

  health = () => {
    const schemas = relays.map((relay) => relay.status());
    const postgres = probes.postgres();
    const kafka = probes.kafka();
    const relaying = schemas.every(
      (schema) => schema.state === "relaying" || schema.state === "standby" || schema.state === "no-outbox",
    );
    const inboundStatus = inbound?.status() ?? null;
    const ok = postgres.ok && kafka.ok && relaying && (inboundStatus === null || inboundStatus.state !== "starting");
    return {
      status: ok ? "ok" : "unavailable",
      postgres: { ...postgres, listening: listener.isListening() },
      kafka,
      schemas,
      inbound: inboundStatus,
      relayedTotal: metrics.relayedTotal(),
      startedAt,
    };
  };

  log("info", "kafka bridge started", {
    database: redactedUrl(config.databaseUrl),
    brokers: config.brokers,
    kafkaSecurity: describeSecurity(config.kafkaSecurity),
    schemas: config.schemas,
    batchSize: config.batchSize,
    pollMs: config.pollMs,
    status: server.url,
    inbound: config.inbound ? { topic: config.inbound.topic, platformUrl: config.inbound.platformUrl } : null,
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log("info", "kafka bridge stopping: finishing the batches in hand");
      const grace = options.shutdownGraceMs ?? 20_000;
      const finished = await Promise.race([
        Promise.all([...relays.map((relay) => relay.stop()), inbound?.stop()]).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), grace).unref()),
      ]);
      if (!finished)
        log("warn", "batches still in hand after the grace period; their rows stay unpublished and go again next time");
      await listener.stop();
      await probes.stop();
      await producer.close().catch(() => {});
      await admin.close().catch(() => {});
      // A connection still checked out (a query stuck past the grace period) must not hold the exit.
      await Promise.race([pool.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await server.close();
      log("info", "kafka bridge stopped", { relayedTotal: metrics.relayedTotal() });
    })());

  return {
    statusUrl: server.url,
    metrics,
    health: () => health(),
    waitUntilHealthy: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (health().status !== "ok") {
        if (Date.now() > deadline)
          throw new Error(`The Kafka bridge was not healthy within ${timeoutMs} ms: ${JSON.stringify(health())}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
  };
}
