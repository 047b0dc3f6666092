import { DEFAULTS, positiveInteger, type GatewaySettingsVars } from "../settings.ts";
import type { WindowRule } from "./sliding-window.ts";

/**
 * The routes counted exactly, per client, in a Durable Object: the ones an attacker scripts
 * (credential stuffing, mass sign-ups). Everything else under /api only has the coarse limit.
 */
export interface ExactRule extends WindowRule {
  readonly name: (typeof EXACT_ROUTES)[number]["name"];
  /** Said in the 429's detail: what the client did too often. */
  readonly what: string;
}

const EXACT_ROUTES = [
  {
    name: "login",
    method: "POST",
    path: "/api/auth/login",
    what: "sign-in attempts",
    limitVar: "LOGIN_RATE_LIMIT",
    windowVar: "LOGIN_RATE_WINDOW_SECONDS",
    defaults: DEFAULTS.login,
  },
  {
    name: "register",
    method: "POST",
    path: "/api/auth/register",
    what: "registrations",
    limitVar: "REGISTER_RATE_LIMIT",
    windowVar: "REGISTER_RATE_WINDOW_SECONDS",
    defaults: DEFAULTS.register,
  },
  // Each of these sends a mail to someone who did not ask for it, if a stranger types their address:
  // counted as strictly as registrations (and with the same settings), each in a bucket of its own.
  {
    name: "password-reset",
    method: "POST",
    path: "/api/auth/password-reset",
    what: "password reset requests",
    limitVar: "REGISTER_RATE_LIMIT",
    windowVar: "REGISTER_RATE_WINDOW_SECONDS",
    defaults: DEFAULTS.register,
  },
  {
    name: "verification-resend",
    method: "POST",
    path: "/api/auth/verify-email/resend",
    what: "verification mails",
    limitVar: "REGISTER_RATE_LIMIT",
    windowVar: "REGISTER_RATE_WINDOW_SECONDS",
    defaults: DEFAULTS.register,
  },
] as const;

/**
 * The shared bucket of requests without an address (client-key.ts) holds many callers: it gets
 * this many times one client's exact limits, still bounded so a flood of them stays a flood of one.
 */
export const UNATTRIBUTED_LIMIT_FACTOR = 10;

/**
 * The exact rule for this request, if any. `path` is Hono's decoded path, the same one the auth
 * worker routes on, so an encoded spelling of a path cannot slip past its rule.
 */
export function exactRuleFor(
  method: string,
  path: string,
  vars: GatewaySettingsVars,
  unattributed = false,
): ExactRule | undefined {
  const route = EXACT_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) return undefined;
  const limit =
    positiveInteger(vars[route.limitVar], route.defaults.limit) * (unattributed ? UNATTRIBUTED_LIMIT_FACTOR : 1);
  const windowSeconds = positiveInteger(vars[route.windowVar], route.defaults.windowSeconds);
  return { name: route.name, what: route.what, limit, windowMs: windowSeconds * 1000 };
}

/**
 * Machine-to-machine deliveries that prove themselves by signature in the worker that owns them:
 * Stripe's webhooks (Stripe sends from a few addresses, in bursts, and would be throttled as one
 * client) and the Kafka bridge's inbound events. A per-address limit would only delay genuine
 * deliveries; a forged one costs the owning worker one HMAC check and is refused there.
 */
const SIGNED_DELIVERIES = [
  { method: "POST", path: "/api/payments/webhooks/stripe" },
  { method: "POST", path: "/api/events/inbound" },
] as const;

export function isSignedDelivery(method: string, path: string): boolean {
  return SIGNED_DELIVERIES.some((route) => route.method === method && route.path === path);
}
