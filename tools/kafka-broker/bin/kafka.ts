// `npm run kafka`: a local Apache Kafka broker (KRaft, one node) on 127.0.0.1:9092 until Ctrl-C.
// KAFKA_SCRAM=user:password adds a SASL/SCRAM listener (no TLS) on KAFKA_SCRAM_PORT (default 9094)
// with that user, created when the storage is formatted (so: on a new data folder).
import { join } from "node:path";
import { REPO_ROOT } from "../src/paths.ts";
import { startKafkaBroker, type KafkaBroker } from "../src/index.ts";
import { quietKafkajsTimerWarning } from "../src/node-warnings.ts";

quietKafkajsTimerWarning();

const port = Number(process.env.KAFKA_PORT ?? 9092);
const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT ?? port + 1);
const dataDir = join(process.env.PLATFORM_DATA_DIR ?? join(REPO_ROOT, ".data"), "kafka-broker");
const scramUser = /^([^:]+):(.+)$/.exec(process.env.KAFKA_SCRAM ?? "");
if (process.env.KAFKA_SCRAM && !scramUser) {
  console.error("✖ KAFKA_SCRAM is user:password.");
  process.exit(2);
}
const scram = scramUser && {
  users: [{ username: scramUser[1] ?? "", password: scramUser[2] ?? "" }],
  port: Number(process.env.KAFKA_SCRAM_PORT ?? port + 2),
};

const started = performance.now();
let broker: KafkaBroker;
try {
  broker = await startKafkaBroker({
    dataDir,
    port,
    controllerPort,
    version: process.env.KAFKA_VERSION,
    ...(scram && { scram }),
    say: (message) => console.log(message),
  });
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(`✔ Apache Kafka ${broker.version} is up (${((performance.now() - started) / 1000).toFixed(1)} s).

  KAFKA_BROKERS=${broker.brokers}${
    broker.scramBrokers
      ? `\n  SASL/SCRAM     KAFKA_BROKERS=${broker.scramBrokers} KAFKA_SASL_MECHANISM=SCRAM-SHA-512 KAFKA_ALLOW_SASL_PLAINTEXT=true (user ${scram?.users[0]?.username})`
      : ""
  }

  Data and logs  ${dataDir} (broker log: ${broker.logFile})
  Ctrl-C stops it; the data stays for the next start.`);

let stopping = false;
const onSignal = () => {
  if (stopping) return;
  stopping = true;
  console.log("Stopping Kafka …");
  void broker.stop().then(() => process.exit(0));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// The broker is this command's whole job: if it dies, say so rather than wait forever.
setInterval(() => {
  if (stopping || broker.isRunning()) return;
  console.error(`✖ Kafka exited on its own; its log is ${broker.logFile}`);
  process.exit(1);
}, 2_000).unref();
