import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { migrateAll } from "@platform/db/migrate";
import { freePort, MIGRATION_SETS, startEmbeddedPostgres, type EmbeddedDatabase } from "@platform/dev-stack";
import { startKafkaBroker, type KafkaBroker } from "@platform/kafka-broker";

/** A Kafka broker and a PostgreSQL with every service schema, as the Kafka bridge scenarios see them. */
export interface KafkaEnvironment {
  /** Bootstrap address of a real Apache Kafka broker (Maven Central's jars, KRaft, loopback). */
  brokers(): Promise<string>;
  /** A new, empty database with every service schema migrated (cloned from a template). */
  database(label: string): Promise<string>;
}

export interface KafkaSession extends KafkaEnvironment {
  stop(): Promise<void>;
  /** For signal handlers: kill the broker now (PostgreSQL stops through its own signal hook). */
  killNow(): void;
  removeDataNow(): void;
}

const TEMPLATE = "outbox_template";

/**
 * Started on first use, in a throw-away folder, on free loopback ports: only the Kafka scenarios
 * pay for a JVM and a second PostgreSQL, and both scenarios share them.
 */
export function kafkaSession(say: (message: string) => void): KafkaSession {
  let dataDir: string | undefined;
  let postgres: EmbeddedDatabase | undefined;
  let broker: KafkaBroker | undefined;
  let started: Promise<{ brokers: string; adminUrl: string }> | undefined;
  let stopping: Promise<void> | undefined;

  const start = () => {
    if (stopping) return Promise.reject(new Error("The bench is stopping."));
    started ??= (async () => {
      dataDir = mkdtempSync(join(tmpdir(), "platform-bench-kafka-"));
      // As root, PostgreSQL runs as its own user and must be able to enter the folder.
      chmodSync(dataDir, 0o755);
      say("Starting Apache Kafka and PostgreSQL for the Kafka bridge …");
      const began = performance.now();
      const folder = dataDir;
      const [db, kafka] = await Promise.allSettled([
        startEmbeddedPostgres({
          dataDir: join(folder, "postgres"),
          port: await freePort(),
          database: TEMPLATE,
          logFile: join(folder, "postgres.log"),
        }),
        startKafkaBroker({
          dataDir: join(folder, "kafka"),
          defaultPartitions: 3,
          say: (message) => say(`  ${message}`),
        }),
      ]);
      if (db.status === "fulfilled") postgres = db.value;
      if (kafka.status === "fulfilled") broker = kafka.value;
      if (db.status === "rejected") throw db.reason;
      if (kafka.status === "rejected") throw kafka.reason;
      await migrateAll(db.value.connectionString, MIGRATION_SETS);
      say(
        `Kafka ${kafka.value.version} at ${kafka.value.brokers} (${((performance.now() - began) / 1000).toFixed(1)} s).`,
      );
      return { brokers: kafka.value.brokers, adminUrl: db.value.connectionString.replace(/\/[^/]+$/, "/postgres") };
    })();
    return started;
  };

  return {
    brokers: async () => (await start()).brokers,
    database: async (label) => {
      const { adminUrl } = await start();
      const name = `${label.replace(/[^a-z0-9_]/g, "_")}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
      } finally {
        await admin.end();
      }
      return adminUrl.replace(/\/[^/]+$/, `/${name}`);
    },
    stop: () =>
      (stopping ??= (async () => {
        await started?.catch(() => undefined);
        await broker?.stop();
        await postgres?.stop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
    killNow: () => {
      void broker?.kill();
    },
    removeDataNow: () => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
