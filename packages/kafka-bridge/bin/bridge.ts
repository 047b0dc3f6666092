// `npm run bridge`: the Kafka bridge as its own process, configured from the environment
// (see configFromEnv in src/config.ts and the README). SIGTERM or SIGINT: finish the batches in
// hand, close everything, exit 0.
import {
  configFromEnv,
  ConfigError,
  jsonLogger,
  quietKafkajsTimerWarning,
  startBridge,
  type Bridge,
} from "../src/index.ts";

quietKafkajsTimerWarning();
const log = jsonLogger();

let bridge: Bridge;
try {
  bridge = await startBridge(configFromEnv(process.env), { log });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`kafka bridge: ${error.message}`);
    process.exit(2);
  }
  log("error", "kafka bridge could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

let signalled = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (signalled) {
    log("warn", `second ${signal}: exiting without waiting`);
    process.exit(1);
  }
  signalled = true;
  log("info", `${signal} received`);
  bridge.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log("error", "kafka bridge did not stop cleanly", {
        error: error instanceof Error ? error.message : String(error),
      });
      process.exit(1);
    },
  );
};
process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);
