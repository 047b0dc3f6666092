import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const REPO_ROOT = resolve(PACKAGE_DIR, "../..");

/** The committed list of the broker's Maven artifacts. */
export const BROKER_POM = join(PACKAGE_DIR, "pom.xml");

/** Resolved classpaths are kept here (git-ignored), so Maven runs once per version. */
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, ".data", "kafka");

/**
 * The last line before Kafka 4 removed old protocol versions (KIP-896): kafkajs 2.2.4 predates
 * Kafka 4 and was never tested against it. The compose file runs the same version.
 */
export const DEFAULT_KAFKA_VERSION = "3.9.1";
