// The budgets of DESIGN.md §6 that the bench measures, in one place so the report and the
// scenarios cannot disagree.
export const BUDGETS = {
  /** gateway → service binding vs. direct call, same run. */
  gatewayOverheadRatio: 1.3,
  workerBundleGzipKiB: 1024,
  gatewayBundleGzipKiB: 150,
  /** Kafka bridge: outbox events relayed per second (1 KB events). */
  kafkaBridgeEventsPerSecond: 5_000,
  /** Kafka bridge: commit → Kafka acknowledgement, p95, at a steady 200 events/s. */
  kafkaCommitToAckP95Ms: 1_000,
  /** A cached catalog page through the gateway, locally: p99 at 300 req/s, with no errors. */
  cachedCatalogP99Ms: 25,
  cachedCatalogRate: 300,
  /** An uncached read (signed-in lesson list, a distinct search) flat out, as a share of the cached catalog's req/s. */
  uncachedToCachedThroughput: 0.5,
  /** Issue 16's goal: the lesson list's p50 at 50 req/s paced, as a multiple of the cached catalog's at most. */
  lessonListToCatalogP50: 2,
  /** Issue 16's goal: CPU per uncached lesson list at most a quarter of the ≈ 35 ms measured under wrangler dev before it. */
  lessonListCpuMsBefore: 35,
  lessonListCpuShare: 0.25,
  /** Issue 13: gzip JavaScript a first visit to home, catalog or a course page downloads (KB as written: 1,000 bytes). */
  sitePageJsGzipBytes: 50_000,
  /** Issue 13's goal: Lighthouse performance, accessibility, best practices and SEO, each, on those pages. */
  lighthouseMinScore: 95,
} as const;
