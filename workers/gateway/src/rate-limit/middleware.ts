import { createMiddleware } from "hono/factory";
import { errorText, logLine, metricsOf, respondWithProblem } from "@platform/http-kit";
import type { GatewayContext, GatewayEnv } from "../forward.ts";
import { apiPeriodSeconds } from "../settings.ts";
import { clientKeyOf, UNATTRIBUTED_KEY } from "./client-key.ts";
import { exactRuleFor, isSignedDelivery, type ExactRule } from "./rules.ts";

type Outcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Exact: this client's Durable Object counts the request against the rule's sliding window. */
async function exactOutcome(c: GatewayContext, key: string, rule: ExactRule): Promise<Outcome> {
  const verdict = await c.env.RATE_LIMITER.getByName(key).hit(rule.name, {
    limit: rule.limit,
    windowMs: rule.windowMs,
  });
  return verdict.allowed ? verdict : { allowed: false, retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
}

/**
 * Coarse: the Workers rate-limit binding, counted per Cloudflare location with no extra hop, so
 * every other API request pays next to nothing for it. It does not say when its window ends, so
 * a refusal asks the client to wait one whole period.
 */
async function coarseOutcome(c: GatewayContext, key: string): Promise<Outcome> {
  const { success } = await c.env.API_RATE_LIMITER.limit({ key });
  return success ? { allowed: true } : { allowed: false, retryAfterSeconds: apiPeriodSeconds(c.env) };
}

/**
 * Per-client rate limits for /api. Mounted after `authenticate`: a request with a verified bearer
 * token spends its user's budget, any other its address's; signed deliveries (webhooks) are not
 * counted (see rules.ts). A limiter that fails lets the request
 * through (logged): the auth worker's own failed-login throttle still stands behind sign-in.
 */
export const rateLimit = createMiddleware<GatewayEnv>(async (c, next) => {
  if (isSignedDelivery(c.req.method, c.req.path)) return next();
  const key = clientKeyOf(c.var.principal, c.req.header("cf-connecting-ip"));
  const rule = exactRuleFor(c.req.method, c.req.path, c.env, key === UNATTRIBUTED_KEY);
  let outcome: Outcome;
  try {
    outcome = rule ? await exactOutcome(c, key, rule) : await coarseOutcome(c, key);
  } catch (error) {
    logLine("error", "gateway", "rate limiter failed; request let through", {
      rule: rule?.name ?? "api",
      error: errorText(error),
      correlationId: c.var.correlationId,
    });
    return next();
  }
  if (outcome.allowed) return next();
  metricsOf("gateway").count(c.env, "gateway_rate_limited_total", { limit: rule?.name ?? "api" });
  const wait = Math.max(1, outcome.retryAfterSeconds);
  return respondWithProblem(c, "too-many-requests", {
    detail: `Too many ${rule?.what ?? "requests"} from this client. Try again in ${wait} s.`,
    headers: { "retry-after": String(wait) },
  });
});
