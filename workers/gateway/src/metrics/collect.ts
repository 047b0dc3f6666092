import { DOMAIN_SERVICES, bindingNameOf, type ServiceBindingName } from "@platform/contracts";
import {
  logLine,
  errorText,
  metricsOf,
  type FamilySnapshot,
  type MetricsBindings,
  type MetricsRpc,
} from "@platform/http-kit";

/** What a scrape needs of the gateway's env (a part of GatewayBindings, so tests can stand the workers in). */
export type MetricsSources = Partial<Record<ServiceBindingName, MetricsRpc>> &
  MetricsBindings & {
    readonly HEALTH_TIMEOUT_MS?: string;
    /** The bearer token `/metrics` answers; unset: no `/metrics`. */
    readonly METRICS_TOKEN?: string;
  };

/** How long one worker may take to hand over its series before the scrape goes on without them. */
const DEFAULT_TIMEOUT_MS = 3000;

async function withinTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every worker's series, asked in parallel over the service bindings (`metricsSnapshot`), and the
 * gateway's own. A worker that fails or is slow is left out of this scrape and counted in
 * `metrics_scrape_errors_total`: one sick worker must not blank the whole view.
 */
export async function collectPlatformMetrics(env: MetricsSources): Promise<FamilySnapshot[][]> {
  const gateway = metricsOf("gateway");
  const timeoutMs = Number(env.HEALTH_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  const workers = await Promise.all(
    DOMAIN_SERVICES.map(async (service) => {
      try {
        const binding = env[bindingNameOf(service)];
        if (!binding) throw new Error("no binding");
        return await withinTimeout(binding.metricsSnapshot(), timeoutMs);
      } catch (error) {
        gateway.count(env, "metrics_scrape_errors_total", { target: service });
        logLine("warn", "gateway", "metrics scrape failed", { target: service, error: errorText(error) });
        return [];
      }
    }),
  );
  // The gateway's own last, so the errors this scrape counted are in it.
  return [...workers, gateway.snapshot()];
}
