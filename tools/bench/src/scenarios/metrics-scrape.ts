import { MetricsRegistry } from "@platform/http-kit";
import { measureInterleaved, warmUp, type Target } from "../load.ts";

/** What metrics cost: the in-process recording figure, and what one scrape answers. */
export interface MetricsCostMeasurement {
  readonly kind: "metrics-cost";
  readonly scenario: string;
  readonly recordings: number;
  /** One request's count + histogram observation, in nanoseconds (wall clock, one core). */
  readonly recordNsPerRequest: number;
  readonly scrapeBytes: number;
  readonly scrapeSamples: number;
}
import type { Scenario } from "../scenario.ts";

const NAME = "metrics-scrape";
const PATH = "/metrics";
/** Prometheus scrapes one target at a time; two connections show what a second scraper would add. */
const CONNECTIONS = 2;
/** Registry operations timed in-process, as many as a few minutes of a busy worker's requests. */
const RECORDINGS = 500_000;

/**
 * What one request's metrics cost a worker (a counter and a histogram observation, in the registry
 * the middleware uses), timed in this process: the figure the request path pays, without a stack's noise.
 */
function recordingNanoseconds(): number {
  const registry = new MetricsRegistry("bench");
  const routes = Array.from({ length: 40 }, (_, index) => `/api/route-${index}/:id`);
  const started = performance.now();
  for (let index = 0; index < RECORDINGS; index += 1) {
    const route = routes[index % routes.length] ?? "/";
    registry.count(undefined, "http_requests_total", { method: "GET", route, code: index % 10 ? "200" : "404" });
    registry.observe(undefined, "http_request_duration_seconds", { method: "GET", route }, (index % 100) / 1000);
  }
  return ((performance.now() - started) * 1e6) / RECORDINGS;
}

export const metricsScrape: Scenario = {
  name: NAME,
  description:
    `GET ${PATH} through the gateway with the scrape token, flat out with ${CONNECTIONS} connections: the gateway ` +
    "asks all seven domain workers for their series over RPC (each reads its outbox gauges from PostgreSQL) and " +
    "renders Prometheus's text format. Plus what recording one request's metrics costs a worker, in-process.",
  async run({ platform, durations, say }) {
    const target: Target = {
      id: `${NAME}/gateway/max`,
      route: "gateway",
      baseUrl: await platform.gatewayUrl(),
      path: PATH,
      headers: { authorization: `Bearer ${await platform.metricsToken()}` },
      expectedStatuses: [200],
    };
    await warmUp(target, durations.warmUpSeconds);
    const schedule = {
      rounds: 1,
      secondsPerRound: durations.maxThroughput.rounds * durations.maxThroughput.secondsPerRound,
    };
    const scrapes = await measureInterleaved(NAME, [target], { rate: null, connections: CONNECTIONS, schedule }, say);
    const body = await (await fetch(`${target.baseUrl}${PATH}`, { headers: target.headers })).text();
    const cost: MetricsCostMeasurement = {
      kind: "metrics-cost",
      scenario: NAME,
      recordings: RECORDINGS,
      recordNsPerRequest: Math.round(recordingNanoseconds()),
      scrapeBytes: body.length,
      scrapeSamples: body.split("\n").filter((line) => line !== "" && !line.startsWith("#")).length,
    };
    return [...scrapes, cost];
  },
};
