import { ProblemError } from "@platform/http-kit";
import type { PurchaseFact, PurchaseStatus } from "./purchase-machine.ts";
import { provenStatus } from "./purchase-machine.ts";
import type { PurchaseDetails, SubscriptionDetails } from "./stripe-events.ts";
import type { SubscriptionFact } from "./subscription-machine.ts";

/**
 * Holds what a Stripe event says against what we created, before the event may grant anything.
 * Pure: no database, no clock.
 *
 * A valid signature proves Stripe sent the event, not that it is about the checkout we opened at
 * the price we asked: metadata is free text another integration on the same account can set, and
 * a session can be charged another amount (a coupon, tax, a session made by hand in the
 * dashboard). An event that would grant access must agree with the purchase or subscription it
 * names on every point it carries; otherwise it is refused (event-mismatches in the database, an
 * error in the log) and the purchase stays as it was.
 */

export type MismatchField =
  "amount" | "currency" | "checkoutSession" | "buyer" | "paymentIntent" | "customer" | "stripeSubscription";

export interface Difference {
  readonly field: MismatchField;
  /** What we created (null: we never learnt one, which the event cannot make up for). */
  readonly expected: string | number | null;
  readonly received: string | number;
}

/**
 * What an event says about a row whose buyer was erased: the same, minus the buyer. Stripe's
 * metadata still names the erased account, which no longer matches the row (it holds a pseudonym)
 * and must not be written anywhere (mismatches, refused facts, logs). Pure.
 */
export function withoutBuyer<T extends PurchaseDetails | SubscriptionDetails>(details: T): T {
  return Object.fromEntries(Object.entries(details).filter(([key]) => key !== "buyerId")) as T;
}

/**
 * The difference recorded when an event would grant something to an erased buyer: there is nobody
 * to grant it to, so it is refused, and the record says why without naming anyone.
 */
export const BUYER_ERASED: Difference = { field: "buyer", expected: null, received: "erased" };

/** An admin accepting such a refusal (mismatch-resolution.ts): it cannot be applied either. */
export const erasedRefusal = () =>
  new ProblemError("conflict", {
    detail:
      "The buyer's account was erased: there is nobody to grant this to. Dismiss it, and refund the payment at Stripe if money was taken.",
  });

/** Facts that give the buyer the course, or block a second purchase: these must match. */
const GRANTING_PURCHASE: readonly PurchaseStatus[] = ["processing", "paid", "disputed"];

export const purchaseFactGrants = (fact: PurchaseFact) => GRANTING_PURCHASE.includes(provenStatus(fact));

/** Facts that make a subscription active (or say it is running). */
export function subscriptionFactGrants(fact: SubscriptionFact): boolean {
  switch (fact.kind) {
    case "checkout_completed":
      return fact.settled;
    case "invoice":
      return fact.paid;
    case "snapshot":
      return fact.status !== "canceled" && fact.status !== "incomplete_expired";
    case "checkout_expired":
      return false;
  }
}

interface Created {
  readonly amountMinor: number;
  readonly currency: string;
  readonly checkoutSessionId: string | null;
  readonly userId: string;
}

function common(created: Created, said: PurchaseDetails | SubscriptionDetails): Difference[] {
  const differences: Difference[] = [];
  if (said.amountMinor !== undefined && said.amountMinor !== created.amountMinor) {
    differences.push({ field: "amount", expected: created.amountMinor, received: said.amountMinor });
  }
  if (said.currency !== undefined && said.currency !== created.currency.toUpperCase()) {
    differences.push({ field: "currency", expected: created.currency, received: said.currency });
  }
  // Each purchase has one session: a completion of any other (or before we recorded ours) is not its payment.
  if (said.checkoutSessionId !== undefined && said.checkoutSessionId !== created.checkoutSessionId) {
    differences.push({
      field: "checkoutSession",
      expected: created.checkoutSessionId,
      received: said.checkoutSessionId,
    });
  }
  if (said.buyerId !== undefined && said.buyerId !== created.userId.toLowerCase()) {
    differences.push({ field: "buyer", expected: created.userId, received: said.buyerId });
  }
  return differences;
}

/** Where a purchase and an event about it disagree (empty: they agree on everything the event says). */
export function purchaseDifferences(
  payment: Created & { readonly paymentIntentId: string | null },
  said: PurchaseDetails,
): Difference[] {
  const differences = common(payment, said);
  // The intent is learnt from the first event that names it; later ones must name the same.
  if (said.paymentIntentId !== undefined && payment.paymentIntentId !== null) {
    if (said.paymentIntentId !== payment.paymentIntentId) {
      differences.push({ field: "paymentIntent", expected: payment.paymentIntentId, received: said.paymentIntentId });
    }
  }
  return differences;
}

/** Where a subscription and an event about it disagree. */
export function subscriptionDifferences(
  subscription: Created & { readonly stripeCustomerId: string | null; readonly stripeSubscriptionId: string | null },
  said: SubscriptionDetails,
): Difference[] {
  const differences = common(subscription, said);
  // We create no Stripe customer: Checkout does, and the first event tells us which; later ones must agree.
  if (said.stripeCustomerId !== undefined && subscription.stripeCustomerId !== null) {
    if (said.stripeCustomerId !== subscription.stripeCustomerId) {
      differences.push({ field: "customer", expected: subscription.stripeCustomerId, received: said.stripeCustomerId });
    }
  }
  if (said.stripeSubscriptionId !== undefined && subscription.stripeSubscriptionId !== null) {
    if (said.stripeSubscriptionId !== subscription.stripeSubscriptionId) {
      differences.push({
        field: "stripeSubscription",
        expected: subscription.stripeSubscriptionId,
        received: said.stripeSubscriptionId,
      });
    }
  }
  return differences;
}

/** One line for people: `amount: expected 1900, received 100; currency: …`. */
export const describeDifferences = (differences: readonly Difference[]) =>
  differences.map((d) => `${d.field}: expected ${d.expected ?? "none"}, received ${d.received}`).join("; ");
