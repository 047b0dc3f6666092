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
   * Paced loads only: request i goes to `urls[i % urls.length]` instead of `url` (e.g. a distinct
   * query per request, so every one misses a cache).
   */
  readonly urls?: readonly string[];
  /** Paced loads only: request i also carries `headerVariants[i % headerVariants.length]`. */
  readonly headerVariants?: readonly Readonly<Record<string, string>>[];
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
}

export type LoadThreadMessage =
  { readonly ok: true; readonly result: RawLoadResult } | { readonly ok: false; readonly error: string };
