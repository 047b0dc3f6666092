import { and, asc, ne, sql } from "drizzle-orm";
import { deleteBatches, olderThanDays, type PruneOptions } from "@platform/db";
import type { Database } from "../db/database.ts";
import { webhookDeliveries } from "../db/schema.ts";

/**
 * Deletes deliveries (with their attempts) made more than `retentionDays` ago that are settled,
 * succeeded or failed, oldest first, bounded like the other retention chores; a pending one stays
 * until its retries are spent. Answers how many went.
 */
export async function pruneWebhookDeliveries(
  db: Database,
  { retentionDays, ...bounds }: PruneOptions & { readonly retentionDays: number },
): Promise<number> {
  return deleteBatches(async (limit) => {
    const doomed = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(ne(webhookDeliveries.status, "pending"), olderThanDays(webhookDeliveries.createdAt, retentionDays)))
      .orderBy(asc(webhookDeliveries.createdAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(webhookDeliveries)
      .where(sql`${webhookDeliveries.id} in (${doomed})`)
      .returning({ id: webhookDeliveries.id });
    return rows.length;
  }, bounds);
}
