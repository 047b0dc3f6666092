import { eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { recordEvent } from "@platform/events";
import type { Transaction } from "./db/database.ts";
import { outbox, paymentStatusHistory, payments } from "./db/schema.ts";
import { paymentsMetrics } from "./metrics.ts";
import { BUYER_ERASED, erasedRefusal, purchaseDifferences, purchaseFactGrants, withoutBuyer } from "./event-checks.ts";
import { recordMismatch } from "./event-mismatch.ts";
import { applyPurchaseFact as nextState, type PurchaseFact } from "./purchase-machine.ts";
import type { PurchaseDetails } from "./stripe-events.ts";

export type Payment = typeof payments.$inferSelect;

/** refused: a granting event disagrees with what we created (event-checks.ts); nothing changed but its record. */
export type FactOutcome = "applied" | "unchanged" | "refused" | "unknown";

/** What moved a purchase or subscription, for the status history and the events' correlation. */
export interface Cause {
  /** e.g. `checkout.session.completed`, `refund requested`. */
  readonly what: string;
  readonly stripeEventId?: string;
  readonly correlationId: string;
}

export interface FactOptions {
  /** An admin accepted this fact after checking with Stripe (mismatch-resolution.ts): no checks against it. */
  readonly trusted?: boolean;
}

/**
 * Applies a fact to one purchase inside the caller's transaction: the row is locked, so facts
 * about the same purchase (two webhooks at once, a webhook and a refund call) take turns. The
 * new status, its history row and the events it causes commit together, or not at all.
 */
export async function applyPurchaseFact(
  tx: Transaction,
  paymentId: string,
  fact: PurchaseFact,
  said: PurchaseDetails,
  cause: Cause,
  options: FactOptions = {},
): Promise<FactOutcome> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!payment) return "unknown";
  // The buyer was erased: Stripe's metadata still names them; that id is neither checked nor kept.
  const erased = payment.erasedAt !== null;
  const details = erased ? withoutBuyer(said) : said;
  const differences = options.trusted ? [] : purchaseDifferences(payment, details);
  // Nobody is left to give the course to, even on an admin's word: a payment taken after the
  // erasure (a checkout paid before it could be expired) is refunded by an operator (docs/identity.md).
  if (erased && purchaseFactGrants(fact)) {
    if (options.trusted) throw erasedRefusal();
    differences.push(BUYER_ERASED);
  }
  if (differences.length > 0) {
    if (purchaseFactGrants(fact)) {
      await recordMismatch(tx, { paymentId }, differences, cause, { decision: "refused", refused: { fact, details } });
      return "refused";
    }
    // Taking access away (a refund, an expiry) on Stripe's word is the safe direction: applied, and recorded.
    await recordMismatch(tx, { paymentId }, differences, cause, { decision: "applied" });
  }
  const transition = nextState(payment.status, fact);
  const now = new Date();
  const entering = (status: Payment["status"]) => transition.changed && transition.to === status;
  const [updated] = await tx
    .update(payments)
    .set({
      status: transition.to,
      // Provider ids are filled in as they become known and never overwritten.
      paymentIntentId: payment.paymentIntentId ?? details.paymentIntentId ?? null,
      chargeId: payment.chargeId ?? details.chargeId ?? null,
      amountRefundedMinor: Math.max(payment.amountRefundedMinor, details.amountRefundedMinor ?? 0),
      paidAt: payment.paidAt ?? (transition.effects.includes("COURSE_PURCHASED") ? now : null),
      refundedAt: payment.refundedAt ?? (entering("refunded") ? now : null),
      updatedAt: sql`now()`,
    })
    .where(eq(payments.id, paymentId))
    .returning();
  if (!updated) throw new Error("the locked payment row vanished");
  if (!transition.changed) return "unchanged";

  await tx.insert(paymentStatusHistory).values({
    id: uuidv7(),
    paymentId,
    fromStatus: transition.from,
    toStatus: transition.to,
    cause: cause.what,
    stripeEventId: cause.stripeEventId ?? null,
  });
  const context = { source: "payments", correlationId: cause.correlationId };
  for (const effect of transition.effects) {
    if (effect === "COURSE_PURCHASED") {
      await recordEvent(
        tx,
        outbox,
        "COURSE_PURCHASED",
        {
          paymentId,
          userId: updated.userId,
          courseId: updated.courseId,
          amountMinor: updated.amountMinor,
          currency: updated.currency,
          provider: updated.provider,
          providerReference: updated.paymentIntentId ?? updated.checkoutSessionId ?? paymentId,
          purchasedAt: (updated.paidAt ?? now).toISOString(),
        },
        context,
      );
    } else {
      await recordEvent(
        tx,
        outbox,
        "PAYMENT_REFUNDED",
        {
          paymentId,
          userId: updated.userId,
          courseId: updated.courseId,
          amountMinor: updated.amountRefundedMinor > 0 ? updated.amountRefundedMinor : updated.amountMinor,
          currency: updated.currency,
          refundReference: details.refundId ?? updated.chargeId ?? updated.paymentIntentId ?? paymentId,
          refundedAt: (updated.refundedAt ?? now).toISOString(),
        },
        context,
      );
    }
    // Counted inside the caller's transaction: should it then fail to commit, this counts once too
    // many. A rare error in a dashboard's count, against threading a commit hook through every caller.
    paymentsMetrics.count(
      undefined,
      effect === "COURSE_PURCHASED" ? "payments_purchases_total" : "payments_refunds_total",
      {},
    );
  }
  return "applied";
}
