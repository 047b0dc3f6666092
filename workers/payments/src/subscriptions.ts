import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow, isUniqueViolation } from "@platform/db";
import { ProblemError, type Principal } from "@platform/http-kit";
import { assertChargeable, checkoutExpiryOf, checkoutLapsed, returnUrls, viaProvider } from "./checkout-rules.ts";
import type { Database } from "./db/database.ts";
import { subscriptionStatusHistory, subscriptions } from "./db/schema.ts";
import { findPlan } from "./plans.ts";
import type { PaymentProvider } from "./provider/provider.ts";
import { applySubscriptionFact, presentState, type Subscription } from "./subscription-state.ts";

export interface SubscriptionDeps {
  readonly db: Database;
  readonly provider: PaymentProvider;
  readonly returnOrigin: string;
  readonly correlationId: string;
  readonly now?: () => Date;
}

export interface SubscriptionCheckout {
  readonly subscription: Subscription;
  readonly how: "new" | "replayed" | "reused";
}

async function finishCheckout(deps: SubscriptionDeps, row: Subscription): Promise<Subscription> {
  if (row.checkoutSessionId) return row;
  const session = await viaProvider(() =>
    deps.provider.createSubscriptionCheckout({
      subscriptionId: row.id,
      userId: row.userId,
      planId: row.planId,
      interval: row.interval,
      title: row.description,
      amountMinor: row.amountMinor,
      currency: row.currency,
      expiresAt: checkoutExpiryOf(row),
      ...returnUrls(deps.returnOrigin, "subscription", row.id),
    }),
  );
  const [updated] = await deps.db
    .update(subscriptions)
    .set({
      checkoutSessionId: session.sessionId,
      checkoutUrl: session.url,
      checkoutExpiresAt: session.expiresAt,
      updatedAt: sql`now()`,
    })
    .where(and(eq(subscriptions.id, row.id), isNull(subscriptions.checkoutSessionId)))
    .returning();
  if (updated) return updated;
  const [current] = await deps.db.select().from(subscriptions).where(eq(subscriptions.id, row.id));
  if (!current) throw new Error("the subscription row vanished");
  return current;
}

/** Gives up an open checkout that can no longer be paid, so a new one may be opened. */
async function expireCheckout(deps: SubscriptionDeps, row: Subscription) {
  await deps.db.transaction((tx) =>
    applySubscriptionFact(
      tx,
      row.id,
      { kind: "checkout_expired" },
      {},
      { what: "checkout lapsed", correlationId: deps.correlationId },
    ),
  );
}

async function subscriptionsOf(db: Database, userId: string, lifecycles: Subscription["lifecycle"][]) {
  return db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.lifecycle, lifecycles)));
}

/**
 * The seed's `createSubscription(userId, planId)`: a subscription checkout for an active plan.
 * One subscription at a time: a subscriber (even one whose subscription ends at period end) is
 * refused, and an open checkout is returned again rather than opening a second one.
 */
export async function startSubscription(
  deps: SubscriptionDeps,
  userId: string,
  planId: string,
  idempotencyKey?: string,
): Promise<SubscriptionCheckout> {
  const now = deps.now?.() ?? new Date();
  for (let attempt = 0; ; attempt += 1) {
    if (idempotencyKey) {
      const [earlier] = await deps.db
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.userId, userId), eq(subscriptions.idempotencyKey, idempotencyKey)))
        .limit(1);
      if (earlier) {
        if (earlier.planId !== planId) {
          throw new ProblemError("unprocessable", {
            detail: "This Idempotency-Key was already used for another plan; use a new key.",
          });
        }
        if (!earlier.checkoutSessionId && checkoutLapsed(earlier, now)) {
          await expireCheckout(deps, earlier);
          throw new ProblemError("conflict", {
            detail: "The checkout for this Idempotency-Key was never opened and has expired; use a new key.",
          });
        }
        return { subscription: await finishCheckout(deps, earlier), how: "replayed" };
      }
    }
    const [running] = await subscriptionsOf(deps.db, userId, ["active", "canceling"]);
    if (running) {
      const { status, endsAt } = presentState(running);
      throw new ProblemError("conflict", {
        detail:
          status === "canceling" && endsAt
            ? `Your subscription ${running.id} runs until ${endsAt.toISOString()}; subscribe again after it ends.`
            : `You already have a subscription (${running.id}).`,
      });
    }
    const [open] = await subscriptionsOf(deps.db, userId, ["incomplete"]);
    if (open && !checkoutLapsed(open, now) && open.provider === deps.provider.name) {
      if (open.planId !== planId) {
        throw new ProblemError("conflict", {
          detail: `You have an open checkout for another plan (subscription ${open.id}); finish it or let it expire.`,
        });
      }
      return { subscription: await finishCheckout(deps, open), how: "reused" };
    }
    if (open) await expireCheckout(deps, open);

    const plan = await findPlan(deps.db, planId);
    if (!plan || !plan.active) throw new ProblemError("not-found", { detail: "No such plan on offer." });
    assertChargeable("This plan", plan);
    try {
      const created = await deps.db.transaction(async (tx) => {
        const row = insertedRow(
          await tx
            .insert(subscriptions)
            .values({
              id: uuidv7(),
              userId,
              planId,
              description: plan.name,
              interval: plan.interval,
              amountMinor: plan.amountMinor,
              currency: plan.currency,
              provider: deps.provider.name,
              idempotencyKey: idempotencyKey ?? null,
            })
            .returning(),
        );
        await tx.insert(subscriptionStatusHistory).values({
          id: uuidv7(),
          subscriptionId: row.id,
          fromStatus: null,
          toStatus: "incomplete",
          cause: "checkout requested",
        });
        return row;
      });
      return { subscription: await finishCheckout(deps, created), how: "new" };
    } catch (error) {
      if (
        attempt === 0 &&
        (isUniqueViolation(error, "subscriptions_idempotency_key") ||
          isUniqueViolation(error, "subscriptions_one_open_checkout"))
      ) {
        continue;
      }
      throw error;
    }
  }
}

/**
 * The seed's `cancelSubscription`: ends the subscription at the end of the period already paid
 * for. The owner or an admin may; anyone else is told there is no such subscription. Cancelling
 * twice is answered like the first time.
 */
export async function cancelSubscription(
  deps: Omit<SubscriptionDeps, "returnOrigin">,
  principal: Principal,
  subscriptionId: string,
): Promise<Subscription> {
  const [row] = await deps.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).limit(1);
  if (!row || (row.userId !== principal.userId && !principal.roles.includes("admin"))) {
    throw new ProblemError("not-found", { detail: "No such subscription." });
  }
  if (row.lifecycle === "canceling") return row;
  if (row.lifecycle !== "active" || !row.stripeSubscriptionId) {
    throw new ProblemError("conflict", {
      detail:
        row.lifecycle === "canceled" || row.lifecycle === "expired"
          ? "This subscription has already ended."
          : "This subscription has not started; its checkout simply expires if it is not paid.",
    });
  }
  const stripeSubscriptionId = row.stripeSubscriptionId;
  const snapshot = await viaProvider(() =>
    deps.provider.cancelSubscriptionAtPeriodEnd({
      subscriptionId: row.id,
      stripeSubscriptionId,
      currentPeriodEnd: row.currentPeriodEnd,
    }),
  );
  // Applied now, not when Stripe's customer.subscription.updated arrives (that one will change nothing).
  await deps.db.transaction((tx) =>
    applySubscriptionFact(
      tx,
      row.id,
      snapshot,
      {},
      { what: `cancel requested by ${principal.userId}`, correlationId: deps.correlationId },
    ),
  );
  const [updated] = await deps.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  if (!updated) throw new Error("the subscription row vanished");
  return updated;
}
