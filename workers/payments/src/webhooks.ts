import { eq } from "drizzle-orm";
import type { Stripe } from "stripe";
import type { Database } from "./db/database.ts";
import { payments, stripeEvents, subscriptions } from "./db/schema.ts";
import { applyPurchaseFact, type FactOutcome } from "./purchase-state.ts";
import { interpretStripeEvent, type Interpretation } from "./stripe-events.ts";
import { applySubscriptionFact } from "./subscription-state.ts";

export type WebhookOutcome = Exclude<FactOutcome, "unknown"> | "ignored" | "duplicate";

export interface WebhookDeps {
  readonly correlationId: string;
  /** Asks the provider whose payment an intent is (disputes name only the intent). */
  readonly paymentIdOfIntent: (paymentIntentId: string) => Promise<string | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our purchase or subscription the event is about, or null when it is not one of ours. */
async function resolveTarget(db: Database, meaning: Interpretation, deps: WebhookDeps): Promise<string | null> {
  if (meaning.subject === "none") return null;
  if (meaning.subject === "purchase") {
    if (meaning.paymentId) return meaning.paymentId;
    if (!meaning.paymentIntentId) return null;
    const [known] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(eq(payments.paymentIntentId, meaning.paymentIntentId))
      .limit(1);
    if (known) return known.id;
    // Seen before the checkout's completion told us the intent: the intent's metadata names it.
    const fromProvider = await deps.paymentIdOfIntent(meaning.paymentIntentId);
    return fromProvider && UUID.test(fromProvider) ? fromProvider.toLowerCase() : null;
  }
  if (meaning.subscriptionId) return meaning.subscriptionId;
  if (!meaning.stripeSubscriptionId) return null;
  const [known] = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(eq(subscriptions.stripeSubscriptionId, meaning.stripeSubscriptionId))
    .limit(1);
  return known?.id ?? null;
}

/**
 * Applies one verified Stripe event, at most once: the event's id is written in the same
 * transaction as its effect, so a redelivery (or the same event arriving twice at once: the
 * second insert waits for the first to commit, then finds the row) changes nothing. An effect
 * that fails rolls the mark back too, and Stripe's retry applies it.
 */
export async function applyStripeEvent(db: Database, event: Stripe.Event, deps: WebhookDeps): Promise<WebhookOutcome> {
  const [seen] = await db
    .select({ id: stripeEvents.eventId })
    .from(stripeEvents)
    .where(eq(stripeEvents.eventId, event.id))
    .limit(1);
  if (seen) return "duplicate";
  const meaning = interpretStripeEvent(event);
  const target = await resolveTarget(db, meaning, deps);
  return db.transaction(async (tx) => {
    const marked = await tx
      .insert(stripeEvents)
      .values({ eventId: event.id, type: event.type, outcome: "ignored", correlationId: deps.correlationId })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.eventId });
    if (marked.length === 0) return "duplicate";
    if (target === null || meaning.subject === "none") return "ignored";
    const cause = { what: event.type, stripeEventId: event.id, correlationId: deps.correlationId };
    const outcome =
      meaning.subject === "purchase"
        ? await applyPurchaseFact(tx, target, meaning.fact, meaning.details, cause)
        : await applySubscriptionFact(tx, target, meaning.fact, meaning.details, cause);
    if (outcome === "unknown") return "ignored";
    await tx.update(stripeEvents).set({ outcome }).where(eq(stripeEvents.eventId, event.id));
    return outcome;
  });
}
