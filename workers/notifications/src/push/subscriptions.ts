import { and, desc, eq, notInArray, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow } from "@platform/db";
import type { Queryable } from "../db/database.ts";
import { pushSubscriptions } from "../db/schema.ts";
import type { PushTarget } from "./types.ts";

/**
 * A person's Web Push subscriptions, one row per endpoint. An endpoint belongs to one browser profile, so posting
 * it again (the site does on every visit) refreshes its keys, and posting it while signed in as someone else
 * hands it over: a shared computer's browser notifies whoever subscribed it last.
 */

/** More than anyone has devices; beyond it the least recently confirmed subscription goes. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export interface NewSubscription {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  readonly userAgent: string | null;
}

export interface StoredSubscription {
  readonly id: string;
  readonly endpoint: string;
  readonly createdAt: Date;
  /** True when the caller did not hold this endpoint before (a new row, or taken over from someone else). */
  readonly created: boolean;
}

export async function saveSubscription(
  db: Queryable,
  userId: string,
  subscription: NewSubscription,
): Promise<StoredSubscription> {
  const [previous] = await db
    .select({ userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.endpoint, subscription.endpoint));
  const row = insertedRow(
    await db
      .insert(pushSubscriptions)
      .values({ id: uuidv7(), userId, ...subscription })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: {
          userId,
          p256dh: subscription.p256dh,
          auth: subscription.auth,
          userAgent: subscription.userAgent,
          // For a new owner it is a new subscription: it starts afresh in their cap and in the delivery log.
          createdAt: sql`case when ${pushSubscriptions.userId} = ${userId} then ${pushSubscriptions.createdAt} else now() end`,
          lastSuccessAt: sql`case when ${pushSubscriptions.userId} = ${userId} then ${pushSubscriptions.lastSuccessAt} end`,
        },
      })
      .returning({
        id: pushSubscriptions.id,
        endpoint: pushSubscriptions.endpoint,
        createdAt: pushSubscriptions.createdAt,
      }),
  );
  await dropBeyondCap(db, userId, row.id);
  return { ...row, created: previous?.userId !== userId };
}

/** Keeps the person's newest subscriptions (by last success, else creation), and always the one just saved. */
async function dropBeyondCap(db: Queryable, userId: string, keptId: string): Promise<void> {
  const newest = db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(
      sql`(${pushSubscriptions.id} = ${keptId}) desc`,
      desc(sql`coalesce(${pushSubscriptions.lastSuccessAt}, ${pushSubscriptions.createdAt})`),
      desc(pushSubscriptions.id),
    )
    .limit(MAX_SUBSCRIPTIONS_PER_USER);
  await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), notInArray(pushSubscriptions.id, newest)));
}

/** Removes the caller's subscription with this endpoint; false when they hold none (unknown, or someone else's). */
export async function deleteOwnSubscription(db: Queryable, userId: string, endpoint: string): Promise<boolean> {
  const deleted = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return deleted.length > 0;
}

/** A subscription as the delivery pipeline sends to it; `id` is what a delivery records as its recipient. */
export interface StoredPushTarget extends PushTarget {
  readonly id: string;
}

/** Where a push to this person goes: every subscription of theirs. */
export async function pushTargetsOf(db: Queryable, userId: string): Promise<StoredPushTarget[]> {
  return db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(pushSubscriptions.id);
}

/** The push target of one subscription (for a retried delivery, which records the subscription's id), or null. */
export async function pushTargetById(db: Queryable, id: string): Promise<StoredPushTarget | null> {
  const [row] = await db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.id, id));
  return row ?? null;
}

/** The push service answered 404 or 410: the subscription is dead (RFC 8030 §7.3). */
export async function removeSubscription(db: Queryable, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

/** The push service accepted a message: the subscription is alive, which keeps it inside its owner's cap. */
export async function markPushSuccess(db: Queryable, id: string): Promise<void> {
  await db
    .update(pushSubscriptions)
    .set({ lastSuccessAt: sql`now()` })
    .where(eq(pushSubscriptions.id, id));
}
