import Stripe from "stripe";
import { METADATA } from "../stripe-events.ts";
import {
  ProviderError,
  type CancelInput,
  type CheckoutSession,
  type CourseCheckoutInput,
  type PaymentProvider,
  type RefundInput,
  type RefundResult,
  type SubscriptionCheckoutInput,
  type SubscriptionSnapshot,
} from "./provider.ts";

export interface StripeSettings {
  readonly secretKey: string;
  /** Another API origin, e.g. `http://127.0.0.1:12111` for a local stand-in; Stripe's own when unset. */
  readonly apiBase?: string;
}

/**
 * A Stripe client for one request. Workers keep no connections between requests, so a client is
 * cheap to make, and the key is read from the environment each time (a rotated secret applies at
 * once). The fetch HTTP client is the one that runs on Workers; the SDK retries network failures
 * and 5xx answers itself, with the same idempotency key.
 */
export function stripeClient(settings: StripeSettings): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 15_000,
    ...(base && {
      protocol: base.protocol === "http:" ? "http" : "https",
      host: base.hostname,
      port: base.port || (base.protocol === "http:" ? "80" : "443"),
    }),
  });
}

/** Signatures are checked with Web Crypto: the Node crypto provider does not run on Workers. */
export const webCrypto = Stripe.createSubtleCryptoProvider();

const RETRYABLE = new Set([
  "StripeConnectionError",
  "StripeAPIError",
  "StripeRateLimitError",
  "StripeIdempotencyError",
]);

/** Runs a Stripe call; its failures become ProviderErrors that say whether trying again may help. */
async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (error instanceof Stripe.errors.StripeError) {
      throw new ProviderError(`Stripe refused to ${what}: ${error.message}`, {
        retryable: RETRYABLE.has(error.type),
        cause: error,
      });
    }
    throw new ProviderError(`Stripe could not ${what}: ${error instanceof Error ? error.message : String(error)}`, {
      retryable: true,
      cause: error,
    });
  }
}

/**
 * Stripe's answer that an erasure step was already done: the object is gone (`resource_missing`:
 * a deleted customer, a canceled subscription) or no longer open (an expired or completed session).
 */
function alreadyDone(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return false;
  if (error.code === "resource_missing") return true;
  // "Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "complete"."
  return /has a status of "(expired|complete)"/.test(error.message);
}

/** An erasure step: done, whether now or before (alreadyDone); any other failure is a ProviderError. */
const erasing = (what: string, work: () => Promise<unknown>): Promise<void> =>
  call(what, async () => {
    try {
      await work();
    } catch (error) {
      if (!alreadyDone(error)) throw error;
    }
  });

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sessionOf(session: Stripe.Checkout.Session): CheckoutSession {
  if (!session.url) throw new ProviderError("Stripe returned a checkout session without a URL", { retryable: false });
  return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

function snapshotOf(subscription: Stripe.Subscription): SubscriptionSnapshot {
  const periodEnds = subscription.items.data.map((item) => item.current_period_end);
  return {
    kind: "snapshot",
    status: subscription.status,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: subscription.cancel_at === null ? null : subscription.cancel_at * 1000,
    currentPeriodEnd: periodEnds.length > 0 ? Math.max(...periodEnds) * 1000 : null,
    endedAt: subscription.ended_at === null ? null : subscription.ended_at * 1000,
    at: Date.now(),
  };
}

export function stripeProvider(settings: StripeSettings): PaymentProvider {
  const stripe = stripeClient(settings);
  return {
    name: "stripe",

    createCourseCheckout: (input: CourseCheckoutInput) =>
      call("create a checkout session", async () => {
        const metadata = {
          [METADATA.paymentId]: input.paymentId,
          [METADATA.userId]: input.userId,
          courseId: input.courseId,
        };
        const session = await stripe.checkout.sessions.create(
          {
            mode: "payment",
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency.toLowerCase(),
                  unit_amount: input.amountMinor,
                  product_data: { name: input.title, metadata: { courseId: input.courseId } },
                },
              },
            ],
            client_reference_id: input.paymentId,
            metadata,
            // Copied onto the PaymentIntent, and from it onto its charges: refunds name the purchase too.
            payment_intent_data: { metadata },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            expires_at: seconds(input.expiresAt),
          },
          { idempotencyKey: `checkout-course-${input.paymentId}` },
        );
        return sessionOf(session);
      }),

    createSubscriptionCheckout: (input: SubscriptionCheckoutInput) =>
      call("create a subscription checkout session", async () => {
        const metadata = {
          [METADATA.subscriptionId]: input.subscriptionId,
          [METADATA.userId]: input.userId,
          planId: input.planId,
        };
        const session = await stripe.checkout.sessions.create(
          {
            mode: "subscription",
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency.toLowerCase(),
                  unit_amount: input.amountMinor,
                  recurring: { interval: input.interval },
                  product_data: { name: input.title, metadata: { planId: input.planId } },
                },
              },
            ],
            client_reference_id: input.subscriptionId,
            metadata,
            // Invoices keep a snapshot of the subscription's metadata: invoice events name it too.
            subscription_data: { metadata },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            expires_at: seconds(input.expiresAt),
          },
          { idempotencyKey: `checkout-subscription-${input.subscriptionId}` },
        );
        return sessionOf(session);
      }),

    cancelSubscriptionAtPeriodEnd: (input: CancelInput) =>
      call("cancel the subscription", async () =>
        snapshotOf(
          await stripe.subscriptions.update(
            input.stripeSubscriptionId,
            { cancel_at_period_end: true },
            { idempotencyKey: `cancel-${input.subscriptionId}` },
          ),
        ),
      ),

    refund: (input: RefundInput): Promise<RefundResult> =>
      call("refund the payment", async () => {
        const refund = await stripe.refunds.create(
          {
            payment_intent: input.paymentIntentId,
            amount: input.amountMinor,
            reason: "requested_by_customer",
            metadata: { [METADATA.paymentId]: input.paymentId },
          },
          { idempotencyKey: `refund-${input.paymentId}` },
        );
        return { refundId: refund.id, status: refund.status ?? "pending", amountMinor: refund.amount };
      }),

    paymentIdOfIntent: (paymentIntentId: string) =>
      call("look up a payment intent", async () => {
        const intent = await stripe.paymentIntents.retrieve(paymentIntentId);
        return intent.metadata[METADATA.paymentId] ?? undefined;
      }),

    expireCheckout: (sessionId: string) =>
      erasing(`expire checkout session ${sessionId}`, () =>
        stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `erase-expire-${sessionId}` }),
      ),

    cancelSubscriptionNow: (stripeSubscriptionId: string) =>
      erasing(`cancel subscription ${stripeSubscriptionId}`, () =>
        stripe.subscriptions.cancel(
          stripeSubscriptionId,
          {},
          { idempotencyKey: `erase-cancel-${stripeSubscriptionId}` },
        ),
      ),

    // Also ends the customer's subscriptions at once; the charges and invoices stay for bookkeeping.
    deleteCustomer: (customerId: string) =>
      erasing(`delete customer ${customerId}`, () => stripe.customers.del(customerId)),

    // An empty value unsets a metadata key: later events about the object then name nobody.
    unsetBuyerMetadata: (objectId: string) =>
      erasing(`drop the buyer from ${objectId}'s metadata`, () => {
        const unset = { metadata: { [METADATA.userId]: "" } };
        const options = { idempotencyKey: `erase-metadata-${objectId}` };
        if (objectId.startsWith("pi_")) return stripe.paymentIntents.update(objectId, unset, options);
        if (objectId.startsWith("ch_")) return stripe.charges.update(objectId, unset, options);
        if (objectId.startsWith("sub_")) return stripe.subscriptions.update(objectId, unset, options);
        throw new ProviderError(`not an object whose metadata names the buyer: ${objectId}`, { retryable: false });
      }),
  };
}
