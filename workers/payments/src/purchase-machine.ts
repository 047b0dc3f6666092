/**
 * The state machine of a course purchase. Pure: no database, no Stripe, no clock.
 *
 * Stripe delivers events at least once and in no guaranteed order, so the machine cannot rely on
 * seeing them in the order they happened. Instead each fact names the state it proves, and the
 * states are ranked so that a fact about money moving outranks an earlier one about the checkout:
 *
 *   pending < expired < processing < failed < paid < disputed < refunded
 *
 * A purchase only ever moves up this order (the new state is the higher of the current one and
 * the fact's), so any order of the same events ends in the same state: the highest one proven.
 * A refund seen before its completion ends "refunded", never "paid"; a late completion after a
 * refund changes nothing; a redelivered event is a no-op.
 */

export const PURCHASE_STATUSES = [
  "pending",
  "expired",
  "processing",
  "failed",
  "paid",
  "disputed",
  "refunded",
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/** What a Stripe event (or our own refund call) tells us about a purchase. */
export type PurchaseFact =
  /** checkout.session.completed: paid at once (cards), or still settling (bank debits: async). */
  | { readonly kind: "completed"; readonly settled: boolean }
  | { readonly kind: "async_payment_succeeded" }
  | { readonly kind: "async_payment_failed" }
  /** checkout.session.expired, or our own checkout lapsing unpaid. */
  | { readonly kind: "expired" }
  /** The whole amount went back (charge.refunded with `refunded: true`, or our refund call). */
  | { readonly kind: "refunded" }
  /** charge.dispute.created: the buyer's bank took the money back; the outcome is Stripe's to decide. */
  | { readonly kind: "disputed" };

/** Events a transition writes to the outbox. */
export type PurchaseEffect = "COURSE_PURCHASED" | "PAYMENT_REFUNDED";

export interface PurchaseTransition {
  readonly from: PurchaseStatus;
  readonly to: PurchaseStatus;
  readonly changed: boolean;
  readonly effects: readonly PurchaseEffect[];
}

const rank = (status: PurchaseStatus) => PURCHASE_STATUSES.indexOf(status);

export function provenStatus(fact: PurchaseFact): PurchaseStatus {
  switch (fact.kind) {
    case "completed":
      return fact.settled ? "paid" : "processing";
    case "async_payment_succeeded":
      return "paid";
    case "async_payment_failed":
      return "failed";
    case "expired":
      return "expired";
    case "refunded":
      return "refunded";
    case "disputed":
      return "disputed";
  }
}

/** Which moves exist: every move up the order (any of them can be the first thing we learn). */
export function canMove(from: PurchaseStatus, to: PurchaseStatus): boolean {
  return rank(to) > rank(from);
}

/** The states a purchase may move to from `from`. */
export const movesFrom = (from: PurchaseStatus): PurchaseStatus[] =>
  PURCHASE_STATUSES.filter((to) => canMove(from, to));

/** The buyer has the course in these states: a dispute is the bank's to decide, and takes nothing away by itself. */
export const OWNS_COURSE: readonly PurchaseStatus[] = ["paid", "disputed"];

/**
 * Applies one fact. COURSE_PURCHASED is written when the purchase first reaches a state in which
 * the buyer owns the course (paid, or disputed: a dispute proves the charge went through), so
 * it is written once, and whether the buyer ends with access does not depend on the order the
 * events came in. A purchase that jumps straight to "refunded" never grants. PAYMENT_REFUNDED is
 * written when it becomes refunded, from wherever it was: the courses service revokes the grant,
 * or remembers the refund if the grant has not arrived yet.
 */
export function applyPurchaseFact(current: PurchaseStatus, fact: PurchaseFact): PurchaseTransition {
  const proven = provenStatus(fact);
  if (!canMove(current, proven)) return { from: current, to: current, changed: false, effects: [] };
  const effects: PurchaseEffect[] = [];
  if (OWNS_COURSE.includes(proven) && !OWNS_COURSE.includes(current)) effects.push("COURSE_PURCHASED");
  if (proven === "refunded") effects.push("PAYMENT_REFUNDED");
  return { from: current, to: proven, changed: true, effects };
}

/** A purchase in one of these states means the buyer has the course, or is paying for it: no second purchase. */
export const BLOCKS_NEW_PURCHASE: readonly PurchaseStatus[] = ["processing", ...OWNS_COURSE];
