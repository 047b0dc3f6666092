import type { KafkaEnvironment } from "./kafka-session.ts";
import type { Measurement } from "./measurements.ts";
import type { Platform } from "./platform.ts";

/**
 * A measured load is split into rounds; when a scenario compares targets, their rounds alternate
 * (A B, B A, …) so drift and periodic disturbances on a shared machine hit every target alike.
 */
export interface Schedule {
  readonly rounds: number;
  readonly secondsPerRound: number;
}

/** How long load runs last: a full run for the record, a quick one to check the harness works. */
export interface Durations {
  readonly fixedRate: Schedule;
  readonly maxThroughput: Schedule;
  /** Unrecorded load before a target is measured (JIT, first connections, caches). */
  readonly warmUpSeconds: number;
  /** Requests over which CPU per request is measured (read-path-cpu), over all `maxThroughput` rounds. */
  readonly cpuRequests: number;
}

export const FULL: Durations = {
  fixedRate: { rounds: 4, secondsPerRound: 4 },
  maxThroughput: { rounds: 2, secondsPerRound: 5 },
  warmUpSeconds: 3,
  cpuRequests: 1_200,
};
export const QUICK: Durations = {
  fixedRate: { rounds: 1, secondsPerRound: 3 },
  maxThroughput: { rounds: 1, secondsPerRound: 3 },
  warmUpSeconds: 1,
  cpuRequests: 200,
};

export interface ScenarioContext {
  readonly durations: Durations;
  /** Started on first use; a scenario that never asks for it costs no start-up. */
  readonly platform: Platform;
  /** A Kafka broker and a PostgreSQL of their own for the Kafka bridge, started on first use. */
  readonly kafka: KafkaEnvironment;
  say(message: string): void;
}

/**
 * One named entry in the registry. `run` does the work and returns what it measured; the report
 * renders each measurement kind in its own table, so a scenario only decides what to measure.
 */
export interface Scenario {
  readonly name: string;
  /** One or two sentences for `--list` and the README: what is measured and why. */
  readonly description: string;
  run(context: ScenarioContext): Promise<Measurement[]>;
}

/**
 * The fixed rate at which routes are compared. Not the catalog budget's 300 req/s: under
 * `wrangler dev` on a two-core machine a worker that logs one line per request tops out near
 * 200 req/s, and past saturation latency measures the queue, not the route. At 50 req/s every
 * route here has headroom, so latencies compare the work per request.
 */
export const EQUAL_LOAD_RATE = 50;

/** Connections for every load: enough for the flat-out runs to saturate workerd. */
export const CONNECTIONS = 10;
