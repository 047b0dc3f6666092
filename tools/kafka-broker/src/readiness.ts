import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import kafkajs from "kafkajs";
import { hasExited } from "./process-group.ts";

const { Kafka, logLevel } = kafkajs;

export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return "(no log yet)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Ready means a client can ask the cluster about itself and finds this broker (the cluster id
 * this data folder was formatted with, not another broker on the same port): the listener is
 * up and the KRaft controller has registered it. Checked with a real client, every 250 ms, until
 * the deadline; a broker process that dies meanwhile fails the wait at once, with its log.
 */
export async function waitUntilReady(options: {
  readonly brokers: string;
  /** The id the storage was formatted with: a broker answering with another is not ours. */
  readonly clusterId: string;
  readonly child: ChildProcess;
  readonly timeoutMs: number;
  readonly logFile: string;
}): Promise<void> {
  const kafka = new Kafka({
    clientId: "kafka-broker-readiness",
    brokers: [options.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited(options.child)) {
      throw new Error(
        `The Kafka broker exited while starting (code ${options.child.exitCode}). Its log:\n${logTail(options.logFile)}`,
      );
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.clusterId !== options.clusterId) {
        throw new Error(
          `The broker at ${options.brokers} belongs to cluster ${cluster.clusterId}, not to this data folder's ${options.clusterId}.`,
        );
      }
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (error) {
      if (error instanceof Error && error.message.includes("belongs to cluster")) throw error;
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const reason = lastError instanceof Error ? lastError.message : "no broker registered";
  throw new Error(
    `The Kafka broker at ${options.brokers} was not ready within ${options.timeoutMs / 1000} s (${reason}). Its log:\n${logTail(options.logFile)}`,
  );
}
