/** What one load run asks for. `rate` absent means as fast as the connections allow. */
export interface LoadPlan {
  readonly url: string;
  /** Extra request headers, the same on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** GET unless given. */
  readonly method?: "GET" | "POST";
  readonly body?: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second, evenly spaced (paced-load.ts); absent: flat out with autocannon. */
  readonly rate?: number;
  /**
   * Flat out only: stop after exactly this many responses instead of after `durationSeconds`
   * (CPU per request is measured over a fixed number of requests).
   */
  readonly amount?: number;
  /**
   * Request i goes to `urls[i % urls.length]` instead of `url` (e.g. a distinct query per
   * request, so every one misses a cache).
   */
  readonly urls?: readonly string[];
  /** Request i also carries `headerVariants[i % headerVariants.length]` (e.g. another user's token). */
  readonly headerVariants?: readonly Readonly<Record<string, string>>[];
  /**
   * The i of this run's first request (default 0): a target's later rounds go on through its
   * variants where the earlier ones stopped, instead of repeating them (a repeated "distinct"
   * search would be a cache hit).
   */
  readonly firstSequence?: number;
  /** Count the values of this response header (e.g. `x-cache`: how many were cache hits). */
  readonly observeHeader?: string;
}

/** What comes back from the load thread: raw samples, summarised on the main thread. */
export interface RawLoadResult {
  /** One entry per response, in milliseconds (fractional). */
  readonly latenciesMs: Float64Array;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Connection errors, not counting timeouts. */
  readonly transportErrors: number;
  readonly timeouts: number;
  readonly durationSeconds: number;
  /** Responses by the value of the plan's `observeHeader` ("(none)" when absent). */
  readonly headerCounts?: Readonly<Record<string, number>>;
}

export type LoadThreadMessage =
  { readonly ok: true; readonly result: RawLoadResult } | { readonly ok: false; readonly error: string };
