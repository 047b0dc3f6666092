// The budgets of DESIGN.md §6 that the bench measures, in one place so the report and the
// scenarios cannot disagree.
export const BUDGETS = {
  /** gateway → service binding vs. direct call, same run. */
  gatewayOverheadRatio: 1.3,
  workerBundleGzipKiB: 1024,
  gatewayBundleGzipKiB: 150,
} as const;
