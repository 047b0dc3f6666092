import autocannon from "autocannon";
import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "./client-addresses.ts";
import type { LoadPlan, RawLoadResult } from "./load-types.ts";

/** Closed-loop load as fast as `connections` keep-alive connections allow: capacity. */
export function autocannonLoad(plan: LoadPlan): Promise<RawLoadResult> {
  if (plan.urls?.length)
    return Promise.reject(new Error("Per-request URLs need a paced load (give the target a rate)."));
  let latencies = new Float64Array(16_384);
  let count = 0;
  const record = (ms: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };

  return new Promise<RawLoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        ...(plan.method ? { method: plan.method } : {}),
        ...(plan.body === undefined ? {} : { body: plan.body }),
        connections: plan.connections,
        duration: plan.durationSeconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, ...plan.headers, [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
            }),
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          latenciesMs: latencies.slice(0, count),
          statusCounts: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([status, stats]) => [status, stats.count]),
          ),
          transportErrors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          durationSeconds: result.duration,
        });
      },
    );
    // autocannon's own histogram has 1 ms resolution; every response's exact time is kept instead.
    instance.on("response", (_client, _status, _bytes, responseTime) => record(responseTime));
  });
}
