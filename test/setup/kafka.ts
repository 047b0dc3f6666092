import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateAll } from "@platform/db/migrate";
import { freePort, MIGRATION_SETS, startEmbeddedPostgres, type EmbeddedDatabase } from "@platform/dev-stack";
import { startKafkaBroker, type KafkaBroker } from "@platform/kafka-broker";

declare module "vitest" {
  export interface ProvidedContext {
    /** Bootstrap address of the one Kafka broker every kafka test file shares. */
    kafkaBrokers: string;
    /** The shared PostgreSQL server, connected to its `postgres` database (for CREATE DATABASE). */
    kafkaPostgresAdminUrl: string;
    /** A database with every service schema migrated: tests clone it (CREATE DATABASE … TEMPLATE). */
    kafkaTemplateDatabase: string;
    /** The same broker's SASL/SCRAM listener (no TLS), and the one SCRAM user it knows. */
    kafkaScramBrokers: string;
    kafkaScramUser: { username: string; password: string };
  }
}

const TEMPLATE_DATABASE = "outbox_template";
/** Created when the broker's storage is formatted (a new one per run, so a new password too). */
const SCRAM_USER = { username: "platform-bridge", password: randomBytes(18).toString("base64url") };

/**
 * For the kafka project: one real Apache Kafka broker (from Maven Central's jars, KRaft, loopback)
 * and one embedded PostgreSQL with every service schema migrated into a template database, both
 * started once in a throw-away folder and stopped after the last file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "kafka-test-"));
  // As root, PostgreSQL runs as its own user and must get through this folder.
  chmodSync(dataDir, 0o755);
  const say = (message: string) => console.log(`[kafka] ${message}`);
  let postgres: EmbeddedDatabase | undefined;
  let broker: KafkaBroker | undefined;
  const teardown = async () => {
    await broker?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    // Side by side: the JVM's start-up and PostgreSQL's initdb both take seconds.
    const [database, kafka] = await Promise.allSettled([
      (async () => {
        const db = await startEmbeddedPostgres({
          dataDir: join(dataDir, "postgres"),
          port: await freePort(),
          database: TEMPLATE_DATABASE,
          logFile: join(dataDir, "postgres.log"),
        });
        await migrateAll(db.connectionString, MIGRATION_SETS);
        return db;
      })(),
      startKafkaBroker({ dataDir: join(dataDir, "kafka"), defaultPartitions: 3, say, scram: { users: [SCRAM_USER] } }),
    ]);
    if (database.status === "fulfilled") postgres = database.value;
    if (kafka.status === "fulfilled") broker = kafka.value;
    if (database.status === "rejected") throw database.reason;
    if (kafka.status === "rejected") throw kafka.reason;
    say(
      `Kafka ${kafka.value.version} at ${kafka.value.brokers} and PostgreSQL ready (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    project.provide("kafkaBrokers", kafka.value.brokers);
    project.provide("kafkaPostgresAdminUrl", database.value.connectionString.replace(/\/[^/]+$/, "/postgres"));
    project.provide("kafkaTemplateDatabase", TEMPLATE_DATABASE);
    project.provide("kafkaScramBrokers", kafka.value.scramBrokers ?? "");
    project.provide("kafkaScramUser", SCRAM_USER);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
