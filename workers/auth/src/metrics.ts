import { metricsOf } from "@platform/http-kit";

/** The auth worker's series: registrations, sign-ins, lock-outs, refresh-token reuse (docs/observability.md#metrics). */
export const authMetrics = metricsOf("auth");
