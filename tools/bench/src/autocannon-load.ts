import autocannon from "autocannon";
import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "./client-addresses.ts";
import type { LoadPlan, RawLoadResult } from "./load-types.ts";

/** Closed-loop load as fast as `connections` keep-alive connections allow: capacity. */
export function autocannonLoad(plan: LoadPlan): Promise<RawLoadResult> {
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
  // Per-request paths and headers, in order over all connections, as the paced engine sends them.
  const paths = plan.urls?.map((url) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  });
  let sequence = plan.firstSequence ?? 0;
  const headerCounts: Record<string, number> = {};
  const observed = plan.observeHeader?.toLowerCase();

  return new Promise<RawLoadResult>((resolve, reject) => {
    // autocannon reports its duration in whole seconds, and notices that `amount` is reached only at
    // its next one-second tick: a run of `amount` requests lasts until its last answer.
    const started = performance.now();
    let lastAnswer = started;
    const instance = autocannon(
      {
        url: plan.url,
        ...(plan.method ? { method: plan.method } : {}),
        ...(plan.body === undefined ? {} : { body: plan.body }),
        connections: plan.connections,
        ...(plan.amount ? { amount: plan.amount } : { duration: plan.durationSeconds }),
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              const i = sequence++;
              const variant = plan.headerVariants?.length ? plan.headerVariants[i % plan.headerVariants.length] : {};
              return {
                ...request,
                ...(paths?.length ? { path: paths[i % paths.length] } : {}),
                headers: {
                  ...request.headers,
                  ...plan.headers,
                  ...variant,
                  [CLIENT_ADDRESS_HEADER]: nextClientAddress(),
                },
              };
            },
            ...(observed
              ? {
                  onResponse: (_status: number, _body: string, _context: unknown, headers: Record<string, string>) => {
                    const value = headers[observed] ?? "(none)";
                    headerCounts[value] = (headerCounts[value] ?? 0) + 1;
                  },
                }
              : {}),
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
          durationSeconds: plan.amount ? (lastAnswer - started) / 1000 : result.duration,
          ...(observed ? { headerCounts } : {}),
        });
      },
    );
    // autocannon's own histogram has 1 ms resolution; every response's exact time is kept instead.
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      lastAnswer = performance.now();
      record(responseTime);
    });
  });
}
