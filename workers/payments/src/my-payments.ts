import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "./db/database.ts";
import { payments, subscriptions } from "./db/schema.ts";
import type { Payment } from "./purchase-state.ts";
import type { Subscription } from "./subscription-state.ts";

export type MyPaymentItem =
  { readonly kind: "purchase"; readonly row: Payment } | { readonly kind: "subscription"; readonly row: Subscription };

/**
 * A person's purchases and subscriptions, newest first, one list. Ids are UUIDv7 (time-ordered)
 * in both tables, so the cursor is the last id shown: each table gives at most a page after it,
 * and the merge keeps the newest page of the two.
 */
export async function listMyPayments(
  db: Database,
  userId: string,
  { cursor, limit }: { cursor?: string; limit: number },
): Promise<{ items: MyPaymentItem[]; nextCursor: string | null }> {
  const [bought, subscribed] = await Promise.all([
    db
      .select()
      .from(payments)
      .where(and(eq(payments.userId, userId), cursor ? lt(payments.id, cursor) : undefined))
      .orderBy(desc(payments.id))
      .limit(limit + 1),
    db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, userId), cursor ? lt(subscriptions.id, cursor) : undefined))
      .orderBy(desc(subscriptions.id))
      .limit(limit + 1),
  ]);
  const merged: MyPaymentItem[] = [
    ...bought.map((row) => ({ kind: "purchase" as const, row })),
    ...subscribed.map((row) => ({ kind: "subscription" as const, row })),
  ].sort((a, b) => (a.row.id < b.row.id ? 1 : a.row.id > b.row.id ? -1 : 0));
  const items = merged.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: merged.length > limit && last ? last.row.id : null };
}
