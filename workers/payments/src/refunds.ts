import { eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { ProblemError, type Principal } from "@platform/http-kit";
import { viaProvider } from "./checkout-rules.ts";
import type { Database } from "./db/database.ts";
import { payments, refunds } from "./db/schema.ts";
import type { PaymentProvider } from "./provider/provider.ts";
import { applyPurchaseFact, type Payment } from "./purchase-state.ts";

export type Refund = typeof refunds.$inferSelect;

export interface RefundDeps {
  readonly db: Database;
  readonly provider: PaymentProvider;
  readonly refundWindowDays: number;
  readonly correlationId: string;
  readonly now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who may refund: an admin always; the buyer within the window after paying; nobody else learns it exists. */
function authorise(payment: Payment | undefined, principal: Principal, deps: RefundDeps): Payment {
  const isAdmin = principal.roles.includes("admin");
  if (!payment || (payment.userId !== principal.userId && !isAdmin)) {
    throw new ProblemError("not-found", { detail: "No such payment." });
  }
  if (payment.status === "refunded")
    throw new ProblemError("conflict", { detail: "This payment has already been refunded." });
  if (payment.status !== "paid" || !payment.paymentIntentId) {
    throw new ProblemError("conflict", { detail: `A ${payment.status} payment cannot be refunded.` });
  }
  if (!isAdmin) {
    const now = deps.now?.() ?? new Date();
    const paidAt = payment.paidAt ?? payment.createdAt;
    if (now.getTime() - paidAt.getTime() > deps.refundWindowDays * DAY_MS) {
      throw new ProblemError("forbidden", {
        detail: `Refunds can be asked for within ${deps.refundWindowDays} days of paying; ask support for this one.`,
      });
    }
  }
  return payment;
}

/**
 * The seed's `processRefund`: the whole amount goes back through the provider, then the purchase
 * becomes refunded and PAYMENT_REFUNDED is written (the courses service revokes the access it
 * granted). The provider call uses an idempotency key derived from the payment, so concurrent or
 * repeated requests make one refund; the state machine applies it once. Stripe's charge.refunded
 * webhook arrives later and changes nothing.
 */
export async function refundPayment(
  deps: RefundDeps,
  principal: Principal,
  paymentId: string,
): Promise<{ payment: Payment; refund: Refund }> {
  const [found] = await deps.db.select().from(payments).where(eq(payments.id, paymentId)).limit(1);
  const payment = authorise(found, principal, deps);
  const paymentIntentId = payment.paymentIntentId as string;
  const result = await viaProvider(() =>
    deps.provider.refund({ paymentId, paymentIntentId, amountMinor: payment.amountMinor, currency: payment.currency }),
  );
  if (result.status === "failed" || result.status === "canceled") {
    throw new ProblemError("bad-gateway", {
      detail: `The payment provider could not refund this payment (${result.status}).`,
    });
  }
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(refunds)
      .values({
        id: uuidv7(),
        paymentId,
        providerRefundId: result.refundId,
        amountMinor: result.amountMinor,
        currency: payment.currency,
        status: result.status,
        requestedBy: principal.userId,
      })
      .onConflictDoNothing({ target: refunds.providerRefundId });
    await applyPurchaseFact(
      tx,
      paymentId,
      { kind: "refunded" },
      { refundId: result.refundId, amountRefundedMinor: result.amountMinor },
      { what: `refund requested by ${principal.userId}`, correlationId: deps.correlationId },
    );
    const [refund] = await tx.select().from(refunds).where(eq(refunds.providerRefundId, result.refundId));
    const [updated] = await tx.select().from(payments).where(eq(payments.id, paymentId));
    if (!refund || !updated) throw new Error("the refund or its payment vanished");
    return { payment: updated, refund };
  });
}
