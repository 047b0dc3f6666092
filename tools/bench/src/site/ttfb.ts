import { Agent, request } from "node:http";
import { summarizeLatency, type LatencySummary } from "../latency.ts";

/** One page request: how long until the response began, and what the answer said about caching. */
export interface TtfbSample {
  readonly ms: number;
  readonly status: number;
  /** What the answer says of caches (CACHE_STATUS_HEADERS, the first it carries); `none` when none. */
  readonly cacheStatus: string;
  readonly cacheControl: string;
}

/**
 * Where a page's answer says how a cache took part: the site's page cache (`x-site-cache: hit|stale|miss|bypass`),
 * an API-style `x-cache`, and Cloudflare's own `cf-cache-status` in front of a deployed site.
 */
export const CACHE_STATUS_HEADERS = ["x-site-cache", "x-cache", "cf-cache-status"] as const;

/** Outcomes that mean a kept copy answered rather than a new rendering. */
const KEPT_COPY = new Set(["hit", "stale", "revalidated", "updating"]);

/** A series of page requests of one kind (one page, cached or uncached), summarised. */
export interface TtfbSeries {
  readonly samples: number;
  readonly latencyMs: LatencySummary;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly cacheStatusCounts: Readonly<Record<string, number>>;
  /** Every distinct `Cache-Control` the page was answered with (normally one). */
  readonly cacheControls: readonly string[];
  /** Uncached series: changes after which the page was still answered from a kept copy when the wait ran out. */
  readonly notRefreshed: number;
}

/**
 * Keep-alive, one request at a time: the figure is the server's time to answer one visitor, without a TCP
 * handshake in it (loopback's is negligible anyway) and without requests queueing behind each other.
 */
export function ttfbAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/**
 * Time from sending the request until its status line and headers arrived: the first byte, as near as
 * Node's HTTP client tells it (headers are the first bytes of an answer). The body is read to the end
 * so the connection can be reused, but not timed.
 */
export function timeToFirstByte(url: URL, agent: Agent, headers: Record<string, string>): Promise<TtfbSample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(url, { agent, headers: { accept: "text/html", ...headers } }, (response) => {
      const ms = performance.now() - started;
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value.join(", ") : value;
      };
      response.resume();
      response.once("error", reject);
      response.once("end", () =>
        resolve({
          ms,
          status: response.statusCode ?? 0,
          cacheStatus: (CACHE_STATUS_HEADERS.map(header).find((value) => value !== undefined) ?? "none").toLowerCase(),
          cacheControl: header("cache-control") ?? "(none)",
        }),
      );
    });
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`no answer from ${url.href} within 30 s`)));
    outgoing.once("error", reject);
    outgoing.end();
  });
}

export function summarizeTtfb(samples: readonly TtfbSample[], notRefreshed = 0): TtfbSeries {
  const tally = (values: readonly string[]) => {
    const counts: Record<string, number> = {};
    for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  };
  return {
    samples: samples.length,
    latencyMs: summarizeLatency(Float64Array.from(samples, (sample) => sample.ms)),
    statusCounts: tally(samples.map((sample) => String(sample.status))),
    cacheStatusCounts: tally(samples.map((sample) => sample.cacheStatus)),
    cacheControls: [...new Set(samples.map((sample) => sample.cacheControl))],
    notRefreshed,
  };
}

/**
 * After the content a page shows has changed: asks for the page until an answer is not a kept copy, and
 * answers that one, the page rendered again. The requests before it are the site's kept copy still being
 * served (it confirms a copy at most once a second, and the change reaches the API's caches through events),
 * and are not counted. A site without a page cache renders every time: its first answer is the one.
 * Undefined when the page was still answered from a kept copy after `waitMs`.
 */
export async function firstRenderAfterChange(
  url: URL,
  agent: Agent,
  headers: () => Record<string, string>,
  waitMs = 15_000,
): Promise<TtfbSample | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const sample = await timeToFirstByte(url, agent, headers());
    if (!KEPT_COPY.has(sample.cacheStatus)) return sample;
    if (performance.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
