import type { Context } from "hono";
import { providerFor, publicOrigin, refundWindowDays } from "../config.ts";
import type { PaymentsEnv } from "../env.ts";

/** What the domain functions need, built for one request from its environment. */
export function requestDeps(c: Context<PaymentsEnv>) {
  return {
    db: c.var.database().db,
    courses: c.env.COURSES,
    provider: providerFor(c.env, c.req.url),
    returnOrigin: publicOrigin(c.env, c.req.url),
    refundWindowDays: refundWindowDays(c.env),
    correlationId: c.var.correlationId,
  };
}
