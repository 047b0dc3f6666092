import { eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "./db/database.ts";
import { eventMismatches, payments, refunds, subscriptions } from "./db/schema.ts";

/**
 * USER_DELETED in the payments service. Bookkeeping law (commercial and tax records: what was
 * sold, for how much, when, and the provider's references to reconcile it) outlives the account,
 * so the purchase and subscription rows stay with their amounts, currencies, dates, states and
 * Stripe ids. What tied them to the person goes: the account id is replaced by a random pseudonym
 * that is stored nowhere else (so the rows can no longer be linked back to the person or to each
 * other's owner by us), and the free-text or personal extras (checkout URLs, the client's
 * idempotency keys) are cleared. See docs/identity.md.
 */
export async function pseudonymiseBuyer(tx: Transaction, userId: string): Promise<void> {
  const pseudonym = crypto.randomUUID();
  const bought = await tx
    .update(payments)
    .set({ userId: pseudonym, idempotencyKey: null, checkoutUrl: null, updatedAt: sql`now()` })
    .where(eq(payments.userId, userId))
    .returning({ id: payments.id });
  const subscribed = await tx
    .update(subscriptions)
    .set({ userId: pseudonym, idempotencyKey: null, checkoutUrl: null, updatedAt: sql`now()` })
    .where(eq(subscriptions.userId, userId))
    .returning({ id: subscriptions.id });
  await tx.update(refunds).set({ requestedBy: pseudonym }).where(eq(refunds.requestedBy, userId));

  // A refused Stripe event may name the buyer among its differences (event-checks.ts): the same pseudonym there.
  const paymentIds = bought.map((row) => row.id);
  const subscriptionIds = subscribed.map((row) => row.id);
  const renamed = sql`replace(${eventMismatches.differences}::text, ${userId}, ${pseudonym})::jsonb`;
  if (paymentIds.length > 0) {
    await tx
      .update(eventMismatches)
      .set({ differences: renamed })
      .where(inArray(eventMismatches.paymentId, paymentIds));
  }
  if (subscriptionIds.length > 0) {
    await tx
      .update(eventMismatches)
      .set({ differences: renamed })
      .where(inArray(eventMismatches.subscriptionId, subscriptionIds));
  }
}
