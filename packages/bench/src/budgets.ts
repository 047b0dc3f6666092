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
} as const;
