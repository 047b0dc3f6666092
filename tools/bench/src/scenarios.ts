import { bundleSizes } from "./scenarios/bundle-size.ts";
import { catalogRead } from "./scenarios/catalog-read.ts";
import { checkout } from "./scenarios/checkout.ts";
import { devServerFloor } from "./scenarios/dev-server-floor.ts";
import { driverPaths } from "./scenarios/driver-paths.ts";
import { gatewayOverhead, gatewayOverheadScenario } from "./scenarios/gateway-overhead.ts";
import { healthFanout } from "./scenarios/health-fanout.ts";
import { kafkaBridgeThroughput } from "./scenarios/kafka-bridge-throughput.ts";
import { kafkaCommitToAckLatency } from "./scenarios/kafka-commit-to-ack-latency.ts";
import { liveFanout } from "./scenarios/live-fanout.ts";
import { loginCost } from "./scenarios/login-cost.ts";
import { metricsScrape } from "./scenarios/metrics-scrape.ts";
import { mixedJourney } from "./scenarios/mixed-journey.ts";
import { notifications } from "./scenarios/notifications.ts";
import { progressWrite } from "./scenarios/progress-write.ts";
import { queueDeliveryLatency } from "./scenarios/queue-delivery-latency.ts";
import { rateLimiter } from "./scenarios/rate-limiter.ts";
import { readPathScenario } from "./scenarios/read-path.ts";
import { readPathCpuScenario } from "./scenarios/read-path-cpu.ts";
import { sessionEpochCheck } from "./scenarios/session-epoch-check.ts";
import { site } from "./scenarios/site.ts";
import { studioUpload } from "./scenarios/studio-upload.ts";
import { tokenVerification } from "./scenarios/token-verification.ts";
import { uploadThroughput } from "./scenarios/upload-throughput.ts";
import { webhooks } from "./scenarios/webhooks.ts";
import type { Scenario } from "./scenario.ts";

/** Every scenario, in the order a full run takes them. Add new ones here. */
export const SCENARIOS: readonly Scenario[] = [
  bundleSizes,
  gatewayOverhead,
  healthFanout,
  metricsScrape,
  devServerFloor,
  tokenVerification,
  sessionEpochCheck,
  loginCost,
  rateLimiter,
  catalogRead,
  driverPaths,
  readPathScenario("dev-server"),
  readPathCpuScenario("dev-server"),
  // The same measurements again without what wrangler dev adds (stack-mode.ts): a second stack.
  gatewayOverheadScenario("production-shaped"),
  readPathScenario("production-shaped"),
  readPathCpuScenario("production-shaped"),
  uploadThroughput,
  studioUpload,
  queueDeliveryLatency,
  notifications,
  progressWrite,
  liveFanout,
  checkout,
  webhooks,
  site,
  kafkaBridgeThroughput,
  kafkaCommitToAckLatency,
  mixedJourney,
];

export function selectScenarios(only: readonly string[]): Scenario[] {
  if (only.length === 0) return [...SCENARIOS];
  const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    const known = SCENARIOS.map((scenario) => scenario.name).join(", ");
    throw new Error(`Unknown scenario ${unknown.map((name) => `"${name}"`).join(", ")}. Known: ${known}.`);
  }
  return SCENARIOS.filter((scenario) => only.includes(scenario.name));
}
