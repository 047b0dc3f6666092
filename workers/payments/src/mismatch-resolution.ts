import { and, desc, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { ProblemError, type Principal } from "@platform/http-kit";
import type { Database, Transaction } from "./db/database.ts";
import {
  eventMismatches,
  paymentStatusHistory,
  payments,
  subscriptionStatusHistory,
  subscriptions,
} from "./db/schema.ts";
import type { RefusedFact } from "./event-mismatch.ts";
import type { PurchaseFact } from "./purchase-machine.ts";
import { applyPurchaseFact, type Cause } from "./purchase-state.ts";
import type { PurchaseDetails, SubscriptionDetails } from "./stripe-events.ts";
import type { SubscriptionFact } from "./subscription-machine.ts";
import { applySubscriptionFact, presentState } from "./subscription-state.ts";

/**
 * What admins do about Stripe events that disagreed with what we created (event_mismatches): read
 * them, and resolve each once. "accepted" says an admin checked with Stripe and the event is
 * genuine (a coupon, a session made by hand): a refused grant is then applied as if it had
 * matched, through the same state machine, so COURSE_PURCHASED / SUBSCRIPTION_CREATED follow as
 * usual. "dismissed" leaves the payment as it is. Either way the payment's status history says who
 * resolved it, even when the status did not move.
 */

export type Mismatch = typeof eventMismatches.$inferSelect;

export async function listMismatches(
  db: Database,
  { status, cursor, limit }: { status: "open" | "resolved"; cursor?: string; limit: number },
): Promise<{ items: Mismatch[]; nextCursor: string | null }> {
  // Ids are UUIDv7 (time-ordered): newest first is descending id, and the cursor is the last id shown.
  const rows = await db
    .select()
    .from(eventMismatches)
    .where(
      and(
        status === "open" ? isNull(eventMismatches.resolution) : isNotNull(eventMismatches.resolution),
        cursor ? lt(eventMismatches.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(eventMismatches.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

export interface Resolution {
  readonly resolution: "accepted" | "dismissed";
  readonly note: string;
}

/** The status people see of the mismatch's purchase or subscription, read inside `tx`. */
async function statusOf(tx: Transaction, mismatch: Mismatch): Promise<string | undefined> {
  if (mismatch.paymentId) {
    const [row] = await tx.select().from(payments).where(eq(payments.id, mismatch.paymentId));
    return row?.status;
  }
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.id, mismatch.subscriptionId as string));
  return row ? presentState(row).status : undefined;
}

/** Applies the refused fact kept with the mismatch, trusted: the admin vouched for it. */
async function applyRefused(tx: Transaction, mismatch: Mismatch, cause: Cause): Promise<void> {
  const kept = mismatch.refusedFact as RefusedFact | null;
  if (!kept) {
    throw new ProblemError("conflict", {
      detail: "This mismatch was recorded before refused events were kept; dismiss it and fix the payment by hand.",
    });
  }
  if (mismatch.paymentId) {
    await applyPurchaseFact(tx, mismatch.paymentId, kept.fact as PurchaseFact, kept.details as PurchaseDetails, cause, {
      trusted: true,
    });
  } else {
    await applySubscriptionFact(
      tx,
      mismatch.subscriptionId as string,
      kept.fact as SubscriptionFact,
      kept.details as SubscriptionDetails,
      cause,
      { trusted: true },
    );
  }
}

/**
 * Resolves one mismatch, once: the row is locked, so two admins at once get one resolution and
 * one 409. The resolution, the fact it applies and the history rows commit together.
 */
export async function resolveMismatch(
  db: Database,
  principal: Principal,
  mismatchId: string,
  { resolution, note }: Resolution,
  correlationId: string,
): Promise<Mismatch> {
  return db.transaction(async (tx) => {
    const [mismatch] = await tx.select().from(eventMismatches).where(eq(eventMismatches.id, mismatchId)).for("update");
    if (!mismatch) throw new ProblemError("not-found", { detail: "No such event mismatch." });
    if (mismatch.resolution !== null) {
      throw new ProblemError("conflict", {
        detail: `This mismatch was already ${mismatch.resolution} at ${mismatch.resolvedAt?.toISOString()}.`,
      });
    }
    const cause: Cause = {
      what: `event mismatch ${mismatch.id} ${resolution} by ${principal.userId}: ${note}`,
      stripeEventId: mismatch.stripeEventId,
      correlationId,
    };
    const before = await statusOf(tx, mismatch);
    // An applied mismatch (a refund, an expiry) already took effect: accepting it only acknowledges it.
    if (resolution === "accepted" && mismatch.decision === "refused") await applyRefused(tx, mismatch, cause);
    const after = await statusOf(tx, mismatch);
    if (before !== undefined && before === after) {
      // Nothing moved (dismissed, or accepted but already there): the history still says who decided what.
      const row = { id: uuidv7(), fromStatus: before, cause: cause.what, stripeEventId: cause.stripeEventId ?? null };
      if (mismatch.paymentId) {
        const status = before as (typeof payments.$inferSelect)["status"];
        await tx
          .insert(paymentStatusHistory)
          .values({ ...row, paymentId: mismatch.paymentId, fromStatus: status, toStatus: status });
      } else {
        await tx
          .insert(subscriptionStatusHistory)
          .values({ ...row, subscriptionId: mismatch.subscriptionId as string, toStatus: before });
      }
    }
    const [resolved] = await tx
      .update(eventMismatches)
      .set({ resolution, resolvedBy: principal.userId, resolvedAt: new Date(), resolutionNote: note })
      .where(eq(eventMismatches.id, mismatchId))
      .returning();
    if (!resolved) throw new Error("the locked mismatch row vanished");
    return resolved;
  });
}
