import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { configFromEnv, quietKafkajsTimerWarning, startBridge } from "@platform/kafka-bridge";
import type { Stack } from "./stack.ts";

export interface RunningBridge {
  describe(): string;
  stop(): Promise<void>;
}

/**
 * The Kafka bridge inside `npm start`, when KAFKA_BROKERS is set: it relays this stack's outboxes
 * and, with KAFKA_INBOUND_TOPIC, hands integrators' events to this stack's gateway. Its JSON log
 * goes to the stack's log folder; warnings and errors are shown too.
 */
export async function startKafkaBridge(
  stack: Stack,
  env: NodeJS.ProcessEnv,
  say: (message: string) => void,
): Promise<RunningBridge> {
  quietKafkajsTimerWarning();
  const logFile = join(stack.logDir, "kafka-bridge.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const config = configFromEnv({
    ...env,
    DATABASE_URL: stack.databaseUrl,
    ...(env.KAFKA_INBOUND_TOPIC && {
      PLATFORM_INBOUND_URL: env.PLATFORM_INBOUND_URL ?? `${stack.gatewayUrl}/api/events/inbound`,
      INBOUND_EVENTS_SECRET: env.INBOUND_EVENTS_SECRET ?? stack.inboundEventsSecret,
    }),
  });
  // Once stopping, PostgreSQL may go first (its own exit hook): those warnings only go to the log file.
  let stopping = false;
  say(`Starting the Kafka bridge (brokers ${config.brokers.join(", ")}) …`);
  const bridge = await startBridge(config, {
    log: (level, msg, fields) => {
      const line = JSON.stringify({ time: new Date().toISOString(), level, service: "kafka-bridge", msg, ...fields });
      log.write(`${line}\n`);
      if (level !== "info" && !stopping) say(`kafka-bridge ${level}: ${msg}`);
    },
  });
  return {
    describe: () => `${bridge.statusUrl}/metrics → ${config.brokers.join(", ")} (log: ${logFile})`,
    stop: async () => {
      stopping = true;
      await bridge.stop();
      log.end();
    },
  };
}
