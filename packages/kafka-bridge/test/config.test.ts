import { describe, expect, it } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { ConfigError, configFromEnv } from "../src/config.ts";

const minimal = { DATABASE_URL: "postgres://u:secret@127.0.0.1:5432/platform", KAFKA_BROKERS: "127.0.0.1:9092" };

describe("bridge settings from the environment", () => {
  it("needs only DATABASE_URL and KAFKA_BROKERS; everything else has a default", () => {
    expect(configFromEnv(minimal)).toEqual({
      databaseUrl: minimal.DATABASE_URL,
      brokers: ["127.0.0.1:9092"],
      clientId: "platform-kafka-bridge",
      schemas: [...DOMAIN_SERVICES],
      batchSize: 500,
      pollMs: 1000,
      metricsHost: "127.0.0.1",
      metricsPort: 9464,
      topicPartitions: 3,
      topicReplicationFactor: -1,
      probeMs: 2000,
      inbound: undefined,
    });
  });

  it("reads the lists and numbers it is given", () => {
    const config = configFromEnv({
      ...minimal,
      KAFKA_BROKERS: "a:9092, b:9093",
      BRIDGE_SCHEMAS: "courses, payments,courses",
      BRIDGE_BATCH_SIZE: "1000",
      BRIDGE_POLL_MS: "250",
      BRIDGE_METRICS_PORT: "0",
      KAFKA_TOPIC_PARTITIONS: "12",
      KAFKA_TOPIC_REPLICATION_FACTOR: "3",
    });
    expect(config).toMatchObject({
      brokers: ["a:9092", "b:9093"],
      schemas: ["courses", "payments"],
      batchSize: 1000,
      pollMs: 250,
      metricsPort: 0,
      topicPartitions: 12,
      topicReplicationFactor: 3,
    });
  });

  it.each([
    [{ KAFKA_BROKERS: "127.0.0.1:9092" }, /DATABASE_URL is required/],
    [{ DATABASE_URL: "postgres://x" }, /KAFKA_BROKERS is required/],
    [{ ...minimal, KAFKA_BROKERS: "localhost" }, /host:port/],
    [{ ...minimal, BRIDGE_BATCH_SIZE: "0" }, /BRIDGE_BATCH_SIZE must be a whole number from 1/],
    [{ ...minimal, BRIDGE_POLL_MS: "fast" }, /BRIDGE_POLL_MS/],
    [{ ...minimal, BRIDGE_SCHEMAS: 'courses; drop schema "x"' }, /invalid schema name/],
    [{ ...minimal, KAFKA_TOPIC_REPLICATION_FACTOR: "0" }, /REPLICATION_FACTOR/],
    [{ ...minimal, KAFKA_INBOUND_TOPIC: "integrator-events" }, /PLATFORM_INBOUND_URL/],
    [
      {
        ...minimal,
        KAFKA_INBOUND_TOPIC: "in",
        PLATFORM_INBOUND_URL: "http://127.0.0.1:8787/api/events/inbound",
        INBOUND_EVENTS_SECRET: "short",
      },
      /INBOUND_EVENTS_SECRET/,
    ],
  ])("refuses %j, saying which setting is wrong", (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it("turns the inbound side on with its topic, the platform's URL and the shared secret; dead letters go to <topic>.dlq", () => {
    const config = configFromEnv({
      ...minimal,
      KAFKA_INBOUND_TOPIC: "integrator-events",
      PLATFORM_INBOUND_URL: "http://127.0.0.1:8787/api/events/inbound",
      INBOUND_EVENTS_SECRET: "x".repeat(32),
    });
    expect(config.inbound).toEqual({
      topic: "integrator-events",
      deadLetterTopic: "integrator-events.dlq",
      groupId: "platform-kafka-bridge-inbound",
      platformUrl: "http://127.0.0.1:8787/api/events/inbound",
      secret: "x".repeat(32),
      requestTimeoutMs: 10_000,
    });
  });
});
