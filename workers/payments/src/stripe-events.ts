import type { Stripe } from "stripe";
import type { PurchaseFact } from "./purchase-machine.ts";
import type { SubscriptionFact } from "./subscription-machine.ts";

/**
 * What a Stripe event means to us: which purchase or subscription it is about, and the fact it
 * proves. Pure: it reads only the event (the signature was checked before).
 *
 * Our own ids travel in metadata on every object we create (the Checkout Session, its
 * PaymentIntent, whose charges inherit it, and the Subscription, whose invoices snapshot it),
 * so most events name their purchase or subscription directly. A dispute carries no metadata:
 * it names its PaymentIntent, which the caller resolves.
 */

/** Metadata keys we set on every Stripe object we create. */
export const METADATA = { paymentId: "paymentId", subscriptionId: "subscriptionId", userId: "userId" } as const;

/**
 * What an event says about the money and who paid it, for event-checks.ts to hold against what we
 * created. A field is set only where the event's object carries it.
 */
export interface EventClaims {
  /** The Checkout Session the event is about (checkout.session.* events). */
  readonly checkoutSessionId?: string;
  /** The amount charged, in minor units. */
  readonly amountMinor?: number;
  /** ISO 4217, upper case (Stripe sends lower case). */
  readonly currency?: string;
  /** The buyer our metadata names (we set `userId` on every object we create). */
  readonly buyerId?: string;
}

export interface PurchaseDetails extends EventClaims {
  readonly paymentIntentId?: string;
  readonly chargeId?: string;
  readonly amountRefundedMinor?: number;
  /** Set by our own refund call; charge.refunded names the charge instead. */
  readonly refundId?: string;
}

export interface SubscriptionDetails extends EventClaims {
  readonly stripeSubscriptionId?: string;
  readonly stripeCustomerId?: string;
}

export type Interpretation =
  | {
      readonly subject: "purchase";
      readonly paymentId: string | null;
      readonly paymentIntentId: string | null;
      readonly fact: PurchaseFact;
      readonly details: PurchaseDetails;
    }
  | {
      readonly subject: "subscription";
      readonly subscriptionId: string | null;
      readonly stripeSubscriptionId: string | null;
      readonly fact: SubscriptionFact;
      readonly details: SubscriptionDetails;
    }
  | { readonly subject: "none"; readonly reason: string };

/** The event types the webhook endpoint should be subscribed to in Stripe's dashboard. */
export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "charge.refunded",
  "charge.dispute.created",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Metadata is free text another integration on the same account could also set: only our ids count. */
function ourId(value: string | null | undefined): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === "string" ? value : value.id;

const toMs = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : seconds * 1000;

const none = (reason: string): Interpretation => ({ subject: "none", reason });

/** The claims an object carries, leaving out what it does not say. */
function claims(fields: {
  checkoutSessionId?: string;
  amountMinor?: number | null;
  currency?: string | null;
  buyerId?: string | null | undefined;
}): EventClaims {
  return {
    ...(fields.checkoutSessionId !== undefined && { checkoutSessionId: fields.checkoutSessionId }),
    ...(fields.amountMinor !== undefined && fields.amountMinor !== null && { amountMinor: fields.amountMinor }),
    ...(fields.currency && { currency: fields.currency.toUpperCase() }),
    ...(fields.buyerId !== undefined && fields.buyerId !== null && { buyerId: fields.buyerId.toLowerCase() }),
  };
}

function fromSession(
  session: Stripe.Checkout.Session,
  kind: "completed" | "succeeded" | "failed" | "expired",
): Interpretation {
  const settled = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const said = claims({
    checkoutSessionId: session.id,
    amountMinor: session.amount_total,
    currency: session.currency,
    buyerId: session.metadata?.[METADATA.userId],
  });
  if (session.mode === "payment") {
    const fact: PurchaseFact =
      kind === "completed"
        ? { kind: "completed", settled }
        : kind === "succeeded"
          ? { kind: "async_payment_succeeded" }
          : kind === "failed"
            ? { kind: "async_payment_failed" }
            : { kind: "expired" };
    const paymentIntentId = idOf(session.payment_intent) ?? null;
    return {
      subject: "purchase",
      paymentId: ourId(session.metadata?.[METADATA.paymentId]) ?? ourId(session.client_reference_id),
      paymentIntentId,
      fact,
      details: { ...said, ...(paymentIntentId && { paymentIntentId }) },
    };
  }
  if (session.mode === "subscription") {
    if (kind === "succeeded" || kind === "failed") return none("async payments are not offered for subscriptions");
    const stripeSubscriptionId = idOf(session.subscription) ?? null;
    const stripeCustomerId = idOf(session.customer);
    return {
      subject: "subscription",
      subscriptionId: ourId(session.metadata?.[METADATA.subscriptionId]) ?? ourId(session.client_reference_id),
      stripeSubscriptionId,
      fact: kind === "completed" ? { kind: "checkout_completed", settled } : { kind: "checkout_expired" },
      details: {
        ...said,
        ...(stripeSubscriptionId && { stripeSubscriptionId }),
        ...(stripeCustomerId && { stripeCustomerId }),
      },
    };
  }
  return none(`checkout in ${session.mode} mode`);
}

function fromSubscription(subscription: Stripe.Subscription, at: number): Interpretation {
  const periodEnds = subscription.items.data.map((item) => item.current_period_end);
  const stripeCustomerId = idOf(subscription.customer);
  return {
    subject: "subscription",
    subscriptionId: ourId(subscription.metadata[METADATA.subscriptionId]),
    stripeSubscriptionId: subscription.id,
    fact: {
      kind: "snapshot",
      status: subscription.status,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      cancelAt: toMs(subscription.cancel_at),
      currentPeriodEnd: periodEnds.length > 0 ? Math.max(...periodEnds) * 1000 : null,
      endedAt: toMs(subscription.ended_at),
      at,
    },
    details: {
      ...claims({ currency: subscription.currency, buyerId: subscription.metadata[METADATA.userId] }),
      stripeSubscriptionId: subscription.id,
      ...(stripeCustomerId && { stripeCustomerId }),
    },
  };
}

function fromInvoice(invoice: Stripe.Invoice, paid: boolean): Interpretation {
  const parent = invoice.parent?.subscription_details;
  if (!parent) return none("an invoice that is not a subscription's");
  const stripeSubscriptionId = idOf(parent.subscription) ?? null;
  const stripeCustomerId = idOf(invoice.customer);
  const periodEnds = invoice.lines.data.map((line) => line.period.end);
  return {
    subject: "subscription",
    subscriptionId: ourId(parent.metadata?.[METADATA.subscriptionId]),
    stripeSubscriptionId,
    fact: {
      kind: "invoice",
      invoiceId: invoice.id,
      created: invoice.created * 1000,
      paid,
      periodEnd: periodEnds.length > 0 ? Math.max(...periodEnds) * 1000 : null,
    },
    details: {
      // What the invoice charges for: its lines (before any customer balance pays part of it).
      ...claims({
        amountMinor: invoice.lines.data.reduce((sum, line) => sum + line.amount, 0),
        currency: invoice.currency,
        buyerId: parent.metadata?.[METADATA.userId],
      }),
      ...(stripeSubscriptionId && { stripeSubscriptionId }),
      ...(stripeCustomerId && { stripeCustomerId }),
    },
  };
}

function fromCharge(charge: Stripe.Charge): Interpretation {
  const paymentIntentId = idOf(charge.payment_intent) ?? null;
  return {
    subject: "purchase",
    paymentId: ourId(charge.metadata[METADATA.paymentId]),
    paymentIntentId,
    // Only a full refund ends the purchase; a partial one leaves the course bought (and proves the charge went through).
    fact: charge.refunded ? { kind: "refunded" } : { kind: "completed", settled: true },
    details: {
      ...claims({ amountMinor: charge.amount, currency: charge.currency, buyerId: charge.metadata[METADATA.userId] }),
      ...(paymentIntentId && { paymentIntentId }),
      chargeId: charge.id,
      amountRefundedMinor: charge.amount_refunded,
    },
  };
}

function fromDispute(dispute: Stripe.Dispute): Interpretation {
  const paymentIntentId = idOf(dispute.payment_intent) ?? null;
  const chargeId = idOf(dispute.charge);
  return {
    subject: "purchase",
    paymentId: ourId(dispute.metadata[METADATA.paymentId]),
    paymentIntentId,
    fact: { kind: "disputed" },
    // A dispute may be for part of the charge: only its currency is held against the purchase.
    details: {
      ...claims({ currency: dispute.currency }),
      ...(paymentIntentId && { paymentIntentId }),
      ...(chargeId && { chargeId }),
    },
  };
}

export function interpretStripeEvent(event: Stripe.Event): Interpretation {
  const at = event.created * 1000;
  switch (event.type) {
    case "checkout.session.completed":
      return fromSession(event.data.object, "completed");
    case "checkout.session.async_payment_succeeded":
      return fromSession(event.data.object, "succeeded");
    case "checkout.session.async_payment_failed":
      return fromSession(event.data.object, "failed");
    case "checkout.session.expired":
      return fromSession(event.data.object, "expired");
    case "charge.refunded":
      return fromCharge(event.data.object);
    case "charge.dispute.created":
      return fromDispute(event.data.object);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return fromSubscription(event.data.object, at);
    case "invoice.paid":
      return fromInvoice(event.data.object, true);
    case "invoice.payment_failed":
      return fromInvoice(event.data.object, false);
    default:
      return none(`${event.type} is not an event this service acts on`);
  }
}
