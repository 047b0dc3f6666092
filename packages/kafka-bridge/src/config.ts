import { DOMAIN_SERVICES } from "@platform/contracts";
import { kafkaSecurityFromEnv, type KafkaSecurity } from "./kafka-security.ts";

export interface InboundConfig {
  /** The topic integrators write to; invalid messages go to `<topic>.dlq`. */
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  /** The platform's receiving endpoint (the gateway's `POST /api/events/inbound`). */
  readonly platformUrl: string;
  /** Shared with the platform; signs each body (the `x-inbound-signature` header). */
  readonly secret: string;
  /** How long one delivery attempt may take. */
  readonly requestTimeoutMs: number;
}

export interface BridgeConfig {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** PostgreSQL schemas whose `outbox` table is relayed. */
  readonly schemas: readonly string[];
  /** Outbox rows claimed per transaction. */
  readonly batchSize: number;
  /** How often each schema is checked without a notification. */
  readonly pollMs: number;
  /** Where `/metrics` and `/health` listen (loopback by default); port 0 picks a free one. */
  readonly metricsHost: string;
  readonly metricsPort: number;
  /** Partitions and replication factor of topics the bridge creates (-1: the broker's default). */
  readonly topicPartitions: number;
  readonly topicReplicationFactor: number;
  /** How often PostgreSQL and Kafka are probed for /health and the lag gauges are refreshed. */
  readonly probeMs: number;
  readonly inbound?: InboundConfig;
  /** TLS and SASL towards Kafka (kafka-security.ts); each absent when off. */
  readonly kafkaSecurity: KafkaSecurity;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}.`);
  }
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,200}$/;

function inboundFrom(env: Env, clientId: string): InboundConfig | undefined {
  const topic = env.KAFKA_INBOUND_TOPIC?.trim();
  if (!topic) return undefined;
  if (!TOPIC_NAME.test(topic))
    throw new ConfigError(`KAFKA_INBOUND_TOPIC is not a valid topic name: ${JSON.stringify(topic)}.`);
  const platformUrl = env.PLATFORM_INBOUND_URL?.trim();
  if (!platformUrl || !URL.canParse(platformUrl) || !/^https?:$/.test(new URL(platformUrl).protocol)) {
    throw new ConfigError(
      "KAFKA_INBOUND_TOPIC is set, so PLATFORM_INBOUND_URL must be the http(s) URL of POST /api/events/inbound.",
    );
  }
  const secret = env.INBOUND_EVENTS_SECRET ?? "";
  if (secret.length < 32) {
    throw new ConfigError(
      "KAFKA_INBOUND_TOPIC is set, so INBOUND_EVENTS_SECRET must be the platform's inbound secret (32 characters or more).",
    );
  }
  return {
    topic,
    deadLetterTopic: `${topic}.dlq`,
    groupId: env.KAFKA_INBOUND_GROUP?.trim() || `${clientId}-inbound`,
    platformUrl,
    secret,
    requestTimeoutMs: integer(env, "PLATFORM_INBOUND_TIMEOUT_MS", 10_000, 100, 120_000),
  };
}

/** Reads and checks the bridge's settings; every problem is a ConfigError naming the variable. */
export function configFromEnv(env: Env = process.env): BridgeConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl) throw new ConfigError("DATABASE_URL is required: the PostgreSQL whose outboxes the bridge relays.");
  const brokers = list(env.KAFKA_BROKERS);
  if (brokers.length === 0)
    throw new ConfigError("KAFKA_BROKERS is required: comma-separated host:port of the Kafka brokers.");
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker))
      throw new ConfigError(`KAFKA_BROKERS entries are host:port, not ${JSON.stringify(broker)}.`);
  }
  const clientId = env.KAFKA_CLIENT_ID?.trim() || "platform-kafka-bridge";
  const schemas = env.BRIDGE_SCHEMAS?.trim() ? list(env.BRIDGE_SCHEMAS) : [...DOMAIN_SERVICES];
  for (const schema of schemas) {
    if (!SCHEMA_NAME.test(schema))
      throw new ConfigError(`BRIDGE_SCHEMAS holds an invalid schema name: ${JSON.stringify(schema)}.`);
  }
  if (schemas.length === 0) throw new ConfigError("BRIDGE_SCHEMAS names no schema.");
  const topicReplicationFactor = integer(env, "KAFKA_TOPIC_REPLICATION_FACTOR", -1, -1, 32);
  if (topicReplicationFactor === 0)
    throw new ConfigError("KAFKA_TOPIC_REPLICATION_FACTOR must be -1 (the broker's default) or at least 1.");
  return {
    databaseUrl,
    brokers,
    clientId,
    schemas: [...new Set(schemas)],
    batchSize: integer(env, "BRIDGE_BATCH_SIZE", 500, 1, 10_000),
    pollMs: integer(env, "BRIDGE_POLL_MS", 1_000, 10, 600_000),
    metricsHost: env.BRIDGE_METRICS_HOST?.trim() || "127.0.0.1",
    metricsPort: integer(env, "BRIDGE_METRICS_PORT", 9464, 0, 65_535),
    topicPartitions: integer(env, "KAFKA_TOPIC_PARTITIONS", 3, 1, 10_000),
    topicReplicationFactor,
    probeMs: integer(env, "BRIDGE_PROBE_MS", 2_000, 100, 600_000),
    inbound: inboundFrom(env, clientId),
    kafkaSecurity: kafkaSecurityFromEnv(env, (message) => new ConfigError(message)),
  };
}

/** The connection string without its password, for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
