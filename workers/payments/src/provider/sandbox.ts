import type {
  CancelInput,
  CheckoutSession,
  CourseCheckoutInput,
  PaymentProvider,
  RefundInput,
  SubscriptionCheckoutInput,
} from "./provider.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A Stripe-looking id (`cs_test_…`, `pi_…`) derived from our own: the same purchase always gets
 * the same session, intent and refund, which is what idempotency keys buy from Stripe.
 */
export async function sandboxId(prefix: string, seed: string, length = 24): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${prefix}:${seed}`)));
  let id = "";
  for (let index = 0; id.length < length; index += 1) id += BASE62[(digest[index % digest.length] ?? 0) % 62];
  return `${prefix}_${id}`;
}

export const sandboxCheckoutPath = (sessionId: string) => `/api/payments/sandbox/checkout/${sessionId}`;

/**
 * The offline payment provider: no money moves. Its checkout page (routes/sandbox.ts) lets the
 * buyer pay or decline, and the outcome reaches this service as a Stripe-signed webhook through
 * the same handler real Stripe events take, so the journey from purchase to access is the same.
 */
export function sandboxProvider(origin: string): PaymentProvider {
  const checkout = async (seed: string, expiresAt: Date): Promise<CheckoutSession> => {
    const sessionId = await sandboxId("cs_test", seed, 58);
    return { sessionId, url: new URL(sandboxCheckoutPath(sessionId), origin).href, expiresAt };
  };
  return {
    name: "sandbox",
    createCourseCheckout: (input: CourseCheckoutInput) => checkout(`payment:${input.paymentId}`, input.expiresAt),
    createSubscriptionCheckout: (input: SubscriptionCheckoutInput) =>
      checkout(`subscription:${input.subscriptionId}`, input.expiresAt),
    cancelSubscriptionAtPeriodEnd: async (input: CancelInput) => {
      const periodEnd = input.currentPeriodEnd?.getTime() ?? Date.now();
      return {
        kind: "snapshot",
        status: "active",
        cancelAtPeriodEnd: true,
        cancelAt: periodEnd,
        currentPeriodEnd: periodEnd,
        endedAt: null,
        at: Date.now(),
      };
    },
    refund: async (input: RefundInput) => ({
      refundId: await sandboxId("re", input.paymentId),
      status: "succeeded",
      amountMinor: input.amountMinor,
    }),
    // Sandbox payments are never disputed.
    paymentIdOfIntent: async () => undefined,
    // No money moved and no customer exists anywhere: an erasure has nothing to do at the sandbox.
    expireCheckout: async () => {},
    cancelSubscriptionNow: async () => {},
    deleteCustomer: async () => {},
    unsetBuyerMetadata: async () => {},
  };
}
