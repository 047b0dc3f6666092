import { eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { recordEvent } from "@platform/events";
import type { Transaction } from "./db/database.ts";
import { outbox, subscriptionStatusHistory, subscriptions } from "./db/schema.ts";
import {
  BUYER_ERASED,
  erasedRefusal,
  subscriptionDifferences,
  subscriptionFactGrants,
  withoutBuyer,
} from "./event-checks.ts";
import { subscriptionTasks } from "./erasure.ts";
import { queueProviderErasures } from "./provider-erasure.ts";
import { recordMismatch } from "./event-mismatch.ts";
import type { Cause, FactOptions, FactOutcome } from "./purchase-state.ts";
import type { SubscriptionDetails } from "./stripe-events.ts";
import {
  applySubscriptionFact as nextState,
  endsAtOf,
  statusOf,
  type SubscriptionFact,
  type SubscriptionState,
} from "./subscription-machine.ts";

export type Subscription = typeof subscriptions.$inferSelect;

const ms = (date: Date | null) => (date === null ? null : date.getTime());
const date = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));

export function stateOf(row: Subscription): SubscriptionState {
  return {
    lifecycle: row.lifecycle,
    currentPeriodEnd: ms(row.currentPeriodEnd),
    cancelAt: ms(row.cancelAt),
    endedAt: ms(row.endedAt),
    latestInvoice:
      row.latestInvoiceId && row.latestInvoiceCreated
        ? { id: row.latestInvoiceId, created: row.latestInvoiceCreated.getTime(), paid: row.latestInvoicePaid === true }
        : null,
    createdAnnounced: row.createdAnnounced,
    announcedEndsAt: ms(row.announcedEndsAt),
  };
}

/** What people see about a subscription: its status (past_due included) and when access ends. */
export function presentState(row: Subscription) {
  const state = stateOf(row);
  return { status: statusOf(state), endsAt: date(endsAtOf(state)) };
}

/**
 * Applies a fact to one subscription inside the caller's transaction, with the row locked (see
 * purchase-state.ts): merged state, a history row when the status people see changes, and the
 * SUBSCRIPTION_* events the machine asks for, all in one commit.
 */
export async function applySubscriptionFact(
  tx: Transaction,
  subscriptionId: string,
  fact: SubscriptionFact,
  said: SubscriptionDetails,
  cause: Cause,
  options: FactOptions = {},
): Promise<FactOutcome> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
  if (!row) return "unknown";
  // The subscriber was erased: Stripe's metadata still names them; that id is neither checked nor kept.
  const erased = row.erasedAt !== null;
  const details = erased ? withoutBuyer(said) : said;
  const differences = options.trusted ? [] : subscriptionDifferences(row, details);
  if (erased && subscriptionFactGrants(fact)) {
    if (options.trusted) throw erasedRefusal();
    // A subscription that started or renewed after the erasure (its checkout was paid before it
    // could be expired): nobody to give access to. If the event agrees with the row otherwise, the
    // Stripe ids it names are ours, and ending them at Stripe is queued like the erasure's own tasks.
    if (differences.length === 0) {
      await queueProviderErasures(
        tx,
        subscriptionTasks({
          lifecycle: "active",
          checkoutSessionId: null,
          stripeSubscriptionId: row.stripeSubscriptionId ?? details.stripeSubscriptionId ?? null,
          stripeCustomerId: row.stripeCustomerId ?? details.stripeCustomerId ?? null,
        }),
      );
    }
    differences.push(BUYER_ERASED);
  }
  if (differences.length > 0) {
    if (subscriptionFactGrants(fact)) {
      const refused = { fact, details };
      await recordMismatch(tx, { subscriptionId }, differences, cause, { decision: "refused", refused });
      return "refused";
    }
    await recordMismatch(tx, { subscriptionId }, differences, cause, { decision: "applied" });
  }
  const transition = nextState(stateOf(row), fact);
  const { after } = transition;
  const learnsIds =
    (!row.stripeSubscriptionId && details.stripeSubscriptionId !== undefined) ||
    (!row.stripeCustomerId && details.stripeCustomerId !== undefined);
  if (!transition.changed && !learnsIds) return "unchanged";

  await tx
    .update(subscriptions)
    .set({
      lifecycle: after.lifecycle,
      currentPeriodEnd: date(after.currentPeriodEnd),
      cancelAt: date(after.cancelAt),
      endedAt: date(after.endedAt),
      latestInvoiceId: after.latestInvoice?.id ?? null,
      latestInvoiceCreated: date(after.latestInvoice?.created ?? null),
      latestInvoicePaid: after.latestInvoice?.paid ?? null,
      createdAnnounced: after.createdAnnounced,
      announcedEndsAt: date(after.announcedEndsAt),
      stripeSubscriptionId: row.stripeSubscriptionId ?? details.stripeSubscriptionId ?? null,
      stripeCustomerId: row.stripeCustomerId ?? details.stripeCustomerId ?? null,
      updatedAt: sql`now()`,
    })
    .where(eq(subscriptions.id, subscriptionId));

  const from = statusOf(transition.before);
  const to = statusOf(after);
  if (from !== to) {
    await tx.insert(subscriptionStatusHistory).values({
      id: uuidv7(),
      subscriptionId,
      fromStatus: from,
      toStatus: to,
      cause: cause.what,
      stripeEventId: cause.stripeEventId ?? null,
    });
  }
  const context = { source: "payments", correlationId: cause.correlationId };
  for (const effect of transition.effects) {
    if (effect.type === "SUBSCRIPTION_CREATED") {
      await recordEvent(
        tx,
        outbox,
        "SUBSCRIPTION_CREATED",
        {
          subscriptionId,
          userId: row.userId,
          planId: row.planId,
          interval: row.interval,
          currentPeriodEnd: new Date(effect.currentPeriodEnd).toISOString(),
        },
        context,
      );
    } else {
      await recordEvent(
        tx,
        outbox,
        "SUBSCRIPTION_CANCELED",
        { subscriptionId, userId: row.userId, endsAt: new Date(effect.endsAt).toISOString() },
        context,
      );
    }
  }
  return transition.changed ? "applied" : "unchanged";
}
