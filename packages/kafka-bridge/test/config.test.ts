import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { ConfigError, configFromEnv } from "../src/config.ts";
import { describeSecurity } from "../src/kafka-security.ts";

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
      // Plaintext and anonymous unless told otherwise: a local broker.
      kafkaSecurity: {},
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

describe("TLS and SASL towards Kafka", () => {
  const folder = mkdtempSync(join(tmpdir(), "bridge-ca-"));
  const caFile = join(folder, "ca.pem");
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  writeFileSync(caFile, pem);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const scram = { KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", KAFKA_SASL_USERNAME: "bridge", KAFKA_SASL_PASSWORD: "pw-9c1" };

  it("reads SCRAM or PLAIN credentials over TLS, with a private CA when given, and never shows the password", () => {
    const config = configFromEnv({ ...minimal, ...scram, KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: caFile });
    expect(config.kafkaSecurity).toEqual({
      tls: { ca: [pem] },
      sasl: { mechanism: "scram-sha-512", username: "bridge", password: "pw-9c1" },
    });
    expect(describeSecurity(config.kafkaSecurity)).toBe("SASL_SSL (SCRAM-SHA-512 as bridge)");
    const plain = configFromEnv({ ...minimal, ...scram, KAFKA_SASL_MECHANISM: "plain", KAFKA_SSL: "true" });
    expect(plain.kafkaSecurity).toEqual({
      tls: {},
      sasl: { mechanism: "plain", username: "bridge", password: "pw-9c1" },
    });
    // A CA file alone means TLS.
    expect(configFromEnv({ ...minimal, KAFKA_SSL_CA_FILE: caFile }).kafkaSecurity).toEqual({ tls: { ca: [pem] } });
  });

  it("takes SASL without TLS only when explicitly allowed, for a local broker", () => {
    expect(() => configFromEnv({ ...minimal, ...scram })).toThrow(/without TLS/);
    const local = configFromEnv({ ...minimal, ...scram, KAFKA_ALLOW_SASL_PLAINTEXT: "true" });
    expect(local.kafkaSecurity).toEqual({
      sasl: { mechanism: "scram-sha-512", username: "bridge", password: "pw-9c1" },
    });
    expect(describeSecurity(local.kafkaSecurity)).toBe("SASL_PLAINTEXT (SCRAM-SHA-512 as bridge)");
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: "GSSAPI", KAFKA_SSL: "true" }, /KAFKA_SASL_MECHANISM must be one of/],
    [{ KAFKA_SASL_MECHANISM: "SCRAM-SHA-256", KAFKA_SSL: "true" }, /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/],
    [{ KAFKA_SASL_USERNAME: "bridge", KAFKA_SASL_PASSWORD: "x" }, /KAFKA_SASL_MECHANISM is not/],
    [{ KAFKA_SSL: "yes" }, /KAFKA_SSL must be true or false/],
    [{ KAFKA_SSL: "false", KAFKA_SSL_CA_FILE: "/nowhere.pem" }, /KAFKA_SSL is false/],
    [{ KAFKA_SSL_CA_FILE: "/nowhere/ca.pem" }, /KAFKA_SSL_CA_FILE cannot be read/],
  ])("refuses %j, saying which setting is wrong", (env, message) => {
    expect(() => configFromEnv({ ...minimal, ...env })).toThrow(ConfigError);
    expect(() => configFromEnv({ ...minimal, ...env })).toThrow(message);
  });
});
