import { summarizeLatency } from "./latency.ts";
import type { LoadPlan, RawLoadResult } from "./load-types.ts";
import type { LoadMeasurement, Route } from "./measurements.ts";
import { runLoad, type LoadIsolation } from "./run-load.ts";
import type { Schedule } from "./scenario.ts";

/** Something to load: one URL, and what it should answer. */
export interface Target {
  /** Stable id within the run, e.g. `gateway-overhead/gateway/50rps`; comparisons refer to it. */
  readonly id: string;
  readonly route: Route;
  readonly baseUrl: string;
  readonly path: string;
  /** Statuses the scenario means to get (a not-found scenario expects 404); anything else counts as an error. */
  readonly expectedStatuses: readonly number[];
  /** Sent with every request (e.g. `authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Shown next to the route in the results, where targets share a route and path. */
  readonly variant?: string;
  /** GET unless given; a body is sent as JSON. */
  readonly method?: "GET" | "POST";
  readonly jsonBody?: unknown;
  /** Request i goes to `pathVariants[i % n]` (shown in results as `path`). */
  readonly pathVariants?: readonly string[];
  /** Request i also carries `headerVariants[i % n]` (e.g. a different user's token). */
  readonly headerVariants?: readonly Readonly<Record<string, string>>[];
  /** Count the values of this response header per row (e.g. `x-cache`: hits and misses). */
  readonly observeHeader?: string;
}

export interface LoadShape {
  /** Requests per second, evenly spaced; `null` runs flat out. */
  readonly rate: number | null;
  readonly connections: number;
  readonly schedule: Schedule;
  /** Flat out only: each round ends after exactly this many responses instead of after `secondsPerRound`. */
  readonly amount?: number;
  /** Where the load generator runs (run-load.ts); a worker thread unless CPU is being measured. */
  readonly isolation?: LoadIsolation;
}

function requestPartsOf(target: Target): Pick<LoadPlan, "headers" | "method" | "body"> {
  const json = target.jsonBody === undefined ? undefined : JSON.stringify(target.jsonBody);
  return {
    ...(target.method ? { method: target.method } : {}),
    ...(json === undefined
      ? target.headers
        ? { headers: target.headers }
        : {}
      : { headers: { ...target.headers, "content-type": "application/json" }, body: json }),
  };
}

function variantsOf(target: Target): Pick<LoadPlan, "urls" | "headerVariants" | "observeHeader"> {
  return {
    ...(target.pathVariants ? { urls: target.pathVariants.map((path) => new URL(path, target.baseUrl).href) } : {}),
    ...(target.headerVariants ? { headerVariants: target.headerVariants } : {}),
    ...(target.observeHeader ? { observeHeader: target.observeHeader } : {}),
  };
}

function planFor(target: Target, shape: LoadShape, firstSequence = 0): LoadPlan {
  return {
    ...(firstSequence ? { firstSequence } : {}),
    url: new URL(target.path, target.baseUrl).href,
    ...variantsOf(target),
    ...requestPartsOf(target),
    connections: shape.connections,
    durationSeconds: shape.schedule.secondsPerRound,
    ...(shape.rate ? { rate: shape.rate } : {}),
    ...(!shape.rate && shape.amount ? { amount: shape.amount } : {}),
  };
}

/** One round of one target; `firstSequence` is how many requests its earlier rounds sent. */
export function runRound(target: Target, shape: LoadShape, firstSequence = 0): Promise<RawLoadResult> {
  return runLoad(planFor(target, shape, firstSequence), shape.isolation);
}

/** Requests a round sent, answered or not: where the target's next round goes on in its variants. */
export const sentIn = (round: RawLoadResult) => round.latenciesMs.length + round.transportErrors + round.timeouts;

export function summarize(
  scenario: string,
  target: Target,
  shape: LoadShape,
  rounds: readonly RawLoadResult[],
): LoadMeasurement {
  const latencies = new Float64Array(rounds.reduce((sum, round) => sum + round.latenciesMs.length, 0));
  let offset = 0;
  for (const round of rounds) {
    latencies.set(round.latenciesMs, offset);
    offset += round.latenciesMs.length;
  }
  const statusCounts: Record<string, number> = {};
  for (const round of rounds) {
    for (const [status, n] of Object.entries(round.statusCounts))
      statusCounts[status] = (statusCounts[status] ?? 0) + n;
  }
  const headerCounts: Record<string, number> = {};
  for (const round of rounds) {
    for (const [value, n] of Object.entries(round.headerCounts ?? {}))
      headerCounts[value] = (headerCounts[value] ?? 0) + n;
  }
  const expected = new Set(target.expectedStatuses.map(String));
  const responses = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  const durationSeconds = rounds.reduce((sum, round) => sum + round.durationSeconds, 0);
  return {
    kind: "load",
    scenario,
    id: target.id,
    route: target.route,
    ...(target.variant ? { variant: target.variant } : {}),
    method: target.method ?? "GET",
    path: target.path,
    targetRate: shape.rate,
    connections: shape.connections,
    rounds: rounds.length,
    durationSeconds,
    responses,
    requestsPerSecond: durationSeconds > 0 ? responses / durationSeconds : 0,
    latencyMs: summarizeLatency(latencies),
    roundP50sMs: rounds.map((round) => summarizeLatency(round.latenciesMs).p50),
    expectedStatuses: target.expectedStatuses,
    statusCounts,
    transportErrors: rounds.reduce((sum, round) => sum + round.transportErrors + round.timeouts, 0),
    unexpectedStatuses: Object.entries(statusCounts)
      .filter(([status]) => !expected.has(status))
      .reduce((sum, [, n]) => sum + n, 0),
    ...(target.observeHeader ? { observedHeader: { name: target.observeHeader, counts: headerCounts } } : {}),
  };
}

/**
 * Loads each target under the same shape, round by round, alternating the order every round, and
 * summarises every target over all its rounds (latencies of every response, statuses counted
 * against the expected ones).
 */
export async function measureInterleaved(
  scenario: string,
  targets: readonly Target[],
  shape: LoadShape,
  say: (message: string) => void,
): Promise<LoadMeasurement[]> {
  const results = targets.map(() => [] as RawLoadResult[]);
  const { rounds, secondsPerRound } = shape.schedule;
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const target = targets[index];
      if (!target) continue;
      say(`${target.id}: round ${round + 1}/${rounds}, ${secondsPerRound} s …`);
      const earlier = results[index] ?? [];
      earlier.push(
        await runRound(
          target,
          shape,
          earlier.reduce((sum, r) => sum + sentIn(r), 0),
        ),
      );
    }
  }
  return targets.map((target, index) => summarize(scenario, target, shape, results[index] ?? []));
}

/**
 * Load that is thrown away: the first seconds against a fresh workerd are not representative.
 * It sends the target's headers (tokens included) but always to `path`, never to the path
 * variants, which are kept for the measured rounds (a variant meant to miss a cache must not be
 * put in it here).
 */
export async function warmUp(target: Target, seconds: number): Promise<void> {
  await runLoad({
    url: new URL(target.path, target.baseUrl).href,
    ...(target.headerVariants ? { headerVariants: target.headerVariants } : {}),
    ...requestPartsOf(target),
    connections: 4,
    durationSeconds: seconds,
  });
}
