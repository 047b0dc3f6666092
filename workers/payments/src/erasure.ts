import { eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "./db/database.ts";
import { eventMismatches, payments, refunds, subscriptions } from "./db/schema.ts";
import { queueProviderErasures, type ProviderErasureTask } from "./provider-erasure.ts";

/**
 * USER_DELETED in the payments service. Bookkeeping law (commercial and tax records: what was
 * sold, for how much, when, and the provider's references to reconcile it) outlives the account,
 * so the purchase and subscription rows stay with their amounts, currencies, dates, states and
 * Stripe ids. What tied them to the person goes: the account id is replaced by a random pseudonym
 * that is stored nowhere else (so the rows can no longer be linked back to the person or to each
 * other's owner by us), the free-text or personal extras (checkout URLs, the client's idempotency
 * keys) are cleared, and `erased_at` marks the rows so a late Stripe event cannot write the id back
 * (purchase-state.ts, subscription-state.ts).
 *
 * What Stripe holds is queued in the same transaction (provider_erasures, Stripe ids only) and done
 * after the commit by runProviderErasures: open checkouts expired, running subscriptions ended, the
 * customers deleted, our id dropped from metadata. See docs/identity.md.
 */
export async function eraseBuyer(tx: Transaction, userId: string): Promise<void> {
  const pseudonym = crypto.randomUUID();
  const erased = {
    userId: pseudonym,
    idempotencyKey: null,
    checkoutUrl: null,
    erasedAt: sql`now()`,
    updatedAt: sql`now()`,
  };
  const bought = await tx.update(payments).set(erased).where(eq(payments.userId, userId)).returning({
    id: payments.id,
    provider: payments.provider,
    status: payments.status,
    checkoutSessionId: payments.checkoutSessionId,
    paymentIntentId: payments.paymentIntentId,
    chargeId: payments.chargeId,
  });
  const subscribed = await tx.update(subscriptions).set(erased).where(eq(subscriptions.userId, userId)).returning({
    id: subscriptions.id,
    provider: subscriptions.provider,
    lifecycle: subscriptions.lifecycle,
    checkoutSessionId: subscriptions.checkoutSessionId,
    stripeSubscriptionId: subscriptions.stripeSubscriptionId,
    stripeCustomerId: subscriptions.stripeCustomerId,
  });
  await tx.update(refunds).set({ requestedBy: pseudonym }).where(eq(refunds.requestedBy, userId));

  // A refused Stripe event may name the buyer among its differences and in the fact kept with it
  // (event-checks.ts, event-mismatch.ts): the same pseudonym there.
  const paymentIds = bought.map((row) => row.id);
  const subscriptionIds = subscribed.map((row) => row.id);
  const renamed = {
    differences: sql`replace(${eventMismatches.differences}::text, ${userId}, ${pseudonym})::jsonb`,
    refusedFact: sql`replace(${eventMismatches.refusedFact}::text, ${userId}, ${pseudonym})::jsonb`,
  };
  if (paymentIds.length > 0) {
    await tx.update(eventMismatches).set(renamed).where(inArray(eventMismatches.paymentId, paymentIds));
  }
  if (subscriptionIds.length > 0) {
    await tx.update(eventMismatches).set(renamed).where(inArray(eventMismatches.subscriptionId, subscriptionIds));
  }

  await queueProviderErasures(tx, [
    ...bought.filter((row) => row.provider === "stripe").flatMap(purchaseTasks),
    ...subscribed.filter((row) => row.provider === "stripe").flatMap(subscriptionTasks),
  ]);
}

type Task = ProviderErasureTask;
const task = (kind: Task["kind"], stripeId: string | null): Task[] => (stripeId ? [{ kind, stripeId }] : []);

/** A purchase: its open checkout expired; our id dropped from the intent and charge's metadata. */
function purchaseTasks(row: {
  status: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  chargeId: string | null;
}): Task[] {
  return [
    ...(row.status === "pending" ? task("expire_checkout", row.checkoutSessionId) : []),
    ...task("unset_metadata", row.paymentIntentId),
    ...task("unset_metadata", row.chargeId),
  ];
}

/** A subscription: its open checkout expired, or the running subscription ended; its customer deleted. */
export function subscriptionTasks(row: {
  lifecycle: string;
  checkoutSessionId: string | null;
  stripeSubscriptionId: string | null;
  stripeCustomerId: string | null;
}): Task[] {
  return [
    ...(row.lifecycle === "incomplete" ? task("expire_checkout", row.checkoutSessionId) : []),
    ...(row.lifecycle === "active" || row.lifecycle === "canceling"
      ? task("cancel_subscription", row.stripeSubscriptionId)
      : []),
    ...task("delete_customer", row.stripeCustomerId),
    ...task("unset_metadata", row.stripeSubscriptionId),
  ];
}
