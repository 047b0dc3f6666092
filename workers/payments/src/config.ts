import { ProblemError } from "@platform/http-kit";
import type { PaymentsBindings } from "./env.ts";
import type { PaymentProvider } from "./provider/provider.ts";
import { sandboxProvider } from "./provider/sandbox.ts";
import { stripeProvider } from "./provider/stripe.ts";

/**
 * The sandbox's webhook secret when none is configured. It is in git, so it must never protect
 * real money: it is used only while the sandbox provider is active, and the sandbox only runs
 * for local origins (or when SANDBOX_PAYMENTS says so), never with a Stripe key set.
 */
export const LOCAL_SANDBOX_WEBHOOK_SECRET = "whsec_local_sandbox_only_never_use_this_for_real_payments";

export type PaymentsMode =
  | { readonly kind: "stripe"; readonly secretKey: string; readonly apiBase?: string }
  | { readonly kind: "sandbox" }
  | { readonly kind: "unconfigured"; readonly reason: string };

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Stripe when a key is set. Otherwise the sandbox, but only where nobody can mistake it for a
 * shop: a worker deployed without its Stripe key would otherwise give courses away.
 */
export function paymentsMode(env: PaymentsBindings, requestUrl: string): PaymentsMode {
  if (env.STRIPE_SECRET_KEY) {
    return {
      kind: "stripe",
      secretKey: env.STRIPE_SECRET_KEY,
      ...(env.STRIPE_API_BASE && { apiBase: env.STRIPE_API_BASE }),
    };
  }
  if (env.SANDBOX_PAYMENTS === "enabled" || isLoopbackHost(new URL(requestUrl).hostname)) return { kind: "sandbox" };
  return { kind: "unconfigured", reason: "STRIPE_SECRET_KEY is not set and the sandbox runs only on local origins" };
}

/** Where browsers come back to after checkout: the configured public origin, else the one they called. */
export function publicOrigin(env: PaymentsBindings, requestUrl: string): string {
  return env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).origin : new URL(requestUrl).origin;
}

export function providerFor(env: PaymentsBindings, requestUrl: string): PaymentProvider {
  const mode = paymentsMode(env, requestUrl);
  if (mode.kind === "stripe") return stripeProvider(mode);
  if (mode.kind === "sandbox") return sandboxProvider(new URL(requestUrl).origin);
  throw new ProblemError("service-unavailable", { detail: "Payments are not configured on this server." });
}

/**
 * Who an erasure must reach (provider-erasure.ts), outside any request: Stripe when a key is set.
 * Null otherwise: the sandbox and an unconfigured worker hold nothing at any provider.
 */
export function erasureProviderFor(env: PaymentsBindings): PaymentProvider | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  return stripeProvider({
    secretKey: env.STRIPE_SECRET_KEY,
    ...(env.STRIPE_API_BASE && { apiBase: env.STRIPE_API_BASE }),
  });
}

/** The secret webhooks must be signed with; undefined: the endpoint is not configured and refuses everything. */
export function webhookSecretFor(env: PaymentsBindings, requestUrl: string): string | undefined {
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  return paymentsMode(env, requestUrl).kind === "sandbox" ? LOCAL_SANDBOX_WEBHOOK_SECRET : undefined;
}

export function refundWindowDays(env: PaymentsBindings): number {
  const days = Number(env.REFUND_WINDOW_DAYS ?? "14");
  return Number.isFinite(days) && days >= 0 ? days : 14;
}
