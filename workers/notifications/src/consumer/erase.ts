import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "../db/database.ts";
import { deliveries, notices, preferences, pushSubscriptions } from "../db/schema.ts";

/**
 * Erasure (USER_DELETED, docs/identity.md): the person's inbox, choices and push subscriptions go, and so does
 * every delivery not yet made. The delivery log keeps its rows (what was sent when, for the counts) but not where
 * they went or what they said: the address and the rendered message are personal data.
 */
export async function eraseRecipient(tx: Transaction, userId: string): Promise<void> {
  await tx.delete(notices).where(eq(notices.userId, userId));
  await tx.delete(preferences).where(eq(preferences.userId, userId));
  await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  await tx.delete(deliveries).where(and(eq(deliveries.userId, userId), eq(deliveries.status, "pending")));
  await tx
    .update(deliveries)
    .set({ recipient: null, payload: sql`'{}'::jsonb` })
    .where(eq(deliveries.userId, userId));
}
