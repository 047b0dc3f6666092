import type { SubscriptionFact } from "../subscription-machine.ts";

/**
 * What the payments service needs from whoever takes the money: Stripe (provider/stripe.ts), or
 * the offline sandbox (provider/sandbox.ts) when no Stripe key is configured. Both are driven by
 * our own ids: every call that creates something carries an idempotency key derived from them,
 * so a retried call returns what the first one created.
 */
export interface PaymentProvider {
  readonly name: "stripe" | "sandbox";
  createCourseCheckout(input: CourseCheckoutInput): Promise<CheckoutSession>;
  createSubscriptionCheckout(input: SubscriptionCheckoutInput): Promise<CheckoutSession>;
  /** Cancels at the end of the current period; returns the subscription as the provider now has it. */
  cancelSubscriptionAtPeriodEnd(input: CancelInput): Promise<SubscriptionSnapshot>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Our payment id behind a PaymentIntent (for events that carry only the intent, such as disputes). */
  paymentIdOfIntent(paymentIntentId: string): Promise<string | undefined>;

  // What an erasure does at the provider (provider-erasure.ts). Each resolves when the object is in
  // the state asked for, including when it already was (expired, canceled, deleted): run twice, same result.

  /** The checkout session can no longer be paid. */
  expireCheckout(sessionId: string): Promise<void>;
  /** Ends the subscription now (not at period end): nothing more is billed. */
  cancelSubscriptionNow(stripeSubscriptionId: string): Promise<void>;
  /** Deletes the customer: its email, name, address and saved card; its subscriptions end too. */
  deleteCustomer(customerId: string): Promise<void>;
  /** Drops our account id from the object's metadata (`pi_…`, `ch_…` or `sub_…`). */
  unsetBuyerMetadata(objectId: string): Promise<void>;
}

export interface CheckoutCommon {
  readonly userId: string;
  /** What the buyer sees on the checkout page. */
  readonly title: string;
  readonly amountMinor: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  readonly successUrl: string;
  readonly cancelUrl: string;
  readonly expiresAt: Date;
}

export interface CourseCheckoutInput extends CheckoutCommon {
  readonly paymentId: string;
  readonly courseId: string;
}

export interface SubscriptionCheckoutInput extends CheckoutCommon {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly interval: "month" | "year";
}

export interface CheckoutSession {
  readonly sessionId: string;
  /** Where to send the buyer. */
  readonly url: string;
  readonly expiresAt: Date;
}

export interface CancelInput {
  readonly subscriptionId: string;
  readonly stripeSubscriptionId: string;
  /** The period end as we know it (the sandbox has no other source). */
  readonly currentPeriodEnd: Date | null;
}

export type SubscriptionSnapshot = Extract<SubscriptionFact, { kind: "snapshot" }>;

export interface RefundInput {
  readonly paymentId: string;
  readonly paymentIntentId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface RefundResult {
  readonly refundId: string;
  /** Stripe's refund status: succeeded or pending count as refunded; failed or canceled do not. */
  readonly status: string;
  readonly amountMinor: number;
}

/** The provider could not do what was asked (unreachable, or it refused); says which in `message`. */
export class ProviderError extends Error {
  readonly retryable: boolean;

  constructor(message: string, { retryable, cause }: { retryable: boolean; cause?: unknown }) {
    super(message, { cause });
    this.name = "ProviderError";
    this.retryable = retryable;
  }
}
