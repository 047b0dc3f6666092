import type { MetricsCostMeasurement } from "./scenarios/metrics-scrape.ts";
import type { QueueLatencyMeasurement } from "./scenarios/queue-delivery-latency.ts";
import type { UploadThroughputMeasurement } from "./scenarios/upload-throughput.ts";
import type { LatencySummary } from "./latency.ts";
import type { CpuPerRequestMeasurement, ReadPathSummary } from "./read-path-figures.ts";
import type { LiveFanoutMeasurement } from "./scenarios/live-fanout.ts";
import type { MixedJourneyMeasurement } from "./scenarios/mixed-journey.ts";
import type { NotificationsMeasurement } from "./scenarios/notifications.ts";
import type { SitePageMeasurement } from "./scenarios/site.ts";
import type { StudioUploadMeasurement } from "./scenarios/studio-upload.ts";

/** Which way a request reaches the worker that answers it. */
export type Route = "gateway" | "direct";

/** One load run, summarised. */
export interface LoadMeasurement {
  readonly kind: "load";
  readonly scenario: string;
  /** Stable id within the run, e.g. `gateway-overhead/gateway/50rps`; comparisons refer to it. */
  readonly id: string;
  readonly route: Route;
  /** What distinguishes targets that share a route and path, e.g. "with a bearer token". */
  readonly variant?: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  /** Requests per second asked for; `null` for a max-throughput run. */
  readonly targetRate: number | null;
  readonly connections: number;
  /** Separate runs pooled into this row (see Schedule in scenario.ts). */
  readonly rounds: number;
  /** Total over all rounds. */
  readonly durationSeconds: number;
  readonly responses: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** Each round's p50 on its own: how steady the figure was. */
  readonly roundP50sMs: readonly number[];
  readonly expectedStatuses: readonly number[];
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Connection errors and timeouts. */
  readonly transportErrors: number;
  /** Responses whose status the scenario did not expect. */
  readonly unexpectedStatuses: number;
  /** Responses by the value of a header the target watched (e.g. `x-cache`: hit or miss). */
  readonly observedHeader?: { readonly name: string; readonly counts: Readonly<Record<string, number>> };
}

/** Gateway vs direct on identical worker work: the ratios judged against the gateway-overhead budget. */
export interface OverheadComparison {
  readonly kind: "comparison";
  readonly scenario: string;
  readonly budget: number;
  /** Both sides at the same request rate: latency compared under equal load. */
  readonly fixedRate: {
    readonly rate: number;
    readonly gatewayId: string;
    readonly directId: string;
    /** gateway p50 ÷ direct p50: the headline figure. */
    readonly p50Ratio: number;
    readonly p99Ratio: number;
    /** gateway p50 − direct p50: what the gateway adds per request, undiluted by the shared dev-server path. */
    readonly p50AddedMs: number;
    /** The p50 ratio of each round on its own (rounds alternate the order): its spread shows the noise. */
    readonly roundP50Ratios: readonly number[];
  };
  /** Both sides flat out: how much capacity the extra hop costs. */
  readonly maxThroughput: {
    readonly gatewayId: string;
    readonly directId: string;
    /** direct req/s ÷ gateway req/s. */
    readonly throughputRatio: number;
    readonly p50Ratio: number;
  };
}

/** One worker's `wrangler deploy --dry-run` upload size. */
export interface BundleMeasurement {
  readonly kind: "bundle";
  readonly scenario: string;
  readonly worker: string;
  /** Relative to the repository root. */
  readonly config: string;
  readonly uploadKiB: number;
  readonly gzipKiB: number;
  /** Read from wrangler's "Total Upload" line, or gzipped by the bench when that line is missing. */
  readonly source: "wrangler" | "measured";
  readonly budgetKiB: number;
}

/**
 * One client's requests against a per-client rate limit, paced for whole windows: how many the
 * gateway let through (its answer) and how many it refused with 429.
 */
export interface RateLimitMeasurement {
  readonly kind: "rate-limit";
  readonly scenario: string;
  /** What this client plays, e.g. `flooding (10× the limit)`. */
  readonly client: string;
  readonly method: string;
  readonly path: string;
  /** The limit under test: requests per window, per client. */
  readonly limit: number;
  readonly windowSeconds: number;
  /** How long the client kept sending, in windows. */
  readonly windows: number;
  readonly sentPerWindow: number;
  readonly sent: number;
  /** Answered by the route itself (the statuses the scenario expects from it). */
  readonly admitted: number;
  /** Refused by the gateway with 429. */
  readonly refused: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Connection errors and timeouts. */
  readonly transportErrors: number;
  /** What should get through per window: the limit for a client above it, everything for one below. */
  readonly expectedPerWindow: number;
  readonly admittedPerWindow: number;
  /** admittedPerWindow ÷ expectedPerWindow − 1. */
  readonly deviation: number;
  /** The largest |deviation| that counts as keeping the limit. */
  readonly tolerance: number;
  readonly latencyMs: { readonly admitted: LatencySummary; readonly refused: LatencySummary };
}

/** The Kafka bridge draining a backlog committed in one transaction: events relayed per second. */
export interface KafkaThroughputMeasurement {
  readonly kind: "kafka-throughput";
  readonly scenario: string;
  /** Size of each stored envelope (the Kafka message value). */
  readonly eventBytes: number;
  /** Outbox rows the bridge claims and produces per transaction. */
  readonly batchSize: number;
  readonly eventsPerRound: number;
  readonly rounds: number;
  /** Commit of each round's backlog → the bridge has relayed all of it; summed over rounds. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly roundEventsPerSecond: readonly number[];
  readonly budget: number;
}

/** Events committed one per transaction at a steady rate: how long from each commit to Kafka's acknowledgement. */
export interface KafkaLatencyMeasurement {
  readonly kind: "kafka-latency";
  readonly scenario: string;
  readonly targetRate: number;
  /** Events committed per second, as the writer managed. */
  readonly achievedRate: number;
  readonly events: number;
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly eventBytes: number;
  readonly latencyMs: LatencySummary;
  /** Committed events that Kafka had not acknowledged 30 s after the last commit. */
  readonly missing: number;
  readonly budgetP95Ms: number;
}

export type {
  CpuPerRequestMeasurement,
  LiveFanoutMeasurement,
  MixedJourneyMeasurement,
  NotificationsMeasurement,
  QueueLatencyMeasurement,
  ReadPathSummary,
  SitePageMeasurement,
  UploadThroughputMeasurement,
};

export type Measurement =
  | QueueLatencyMeasurement
  | UploadThroughputMeasurement
  | LoadMeasurement
  | OverheadComparison
  | BundleMeasurement
  | RateLimitMeasurement
  | KafkaThroughputMeasurement
  | KafkaLatencyMeasurement
  | ReadPathSummary
  | CpuPerRequestMeasurement
  | LiveFanoutMeasurement
  | NotificationsMeasurement
  | SitePageMeasurement
  | StudioUploadMeasurement
  | MixedJourneyMeasurement
  | MetricsCostMeasurement;
