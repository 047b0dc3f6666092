import type { LoadMeasurement, OverheadComparison } from "./measurements.ts";

interface Pair {
  readonly gateway: LoadMeasurement;
  readonly direct: LoadMeasurement;
}

/** Ratios of two runs doing identical work in the worker: whatever differs is the gateway's cost. */
export function compareOverhead(
  scenario: string,
  budget: number,
  fixedRate: Pair & { readonly rate: number },
  maxThroughput: Pair,
): OverheadComparison {
  return {
    kind: "comparison",
    scenario,
    budget,
    fixedRate: {
      rate: fixedRate.rate,
      gatewayId: fixedRate.gateway.id,
      directId: fixedRate.direct.id,
      p50Ratio: fixedRate.gateway.latencyMs.p50 / fixedRate.direct.latencyMs.p50,
      p99Ratio: fixedRate.gateway.latencyMs.p99 / fixedRate.direct.latencyMs.p99,
      p50AddedMs: fixedRate.gateway.latencyMs.p50 - fixedRate.direct.latencyMs.p50,
      roundP50Ratios: fixedRate.gateway.roundP50sMs.map(
        (p50, round) => p50 / (fixedRate.direct.roundP50sMs[round] ?? Number.NaN),
      ),
    },
    maxThroughput: {
      gatewayId: maxThroughput.gateway.id,
      directId: maxThroughput.direct.id,
      throughputRatio: maxThroughput.direct.requestsPerSecond / maxThroughput.gateway.requestsPerSecond,
      p50Ratio: maxThroughput.gateway.latencyMs.p50 / maxThroughput.direct.latencyMs.p50,
    },
  };
}
