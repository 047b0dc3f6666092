import { metricsOf } from "@platform/http-kit";

/** The payments worker's series: purchases, refunds, Stripe webhook outcomes (docs/observability.md#metrics). */
export const paymentsMetrics = metricsOf("payments");
