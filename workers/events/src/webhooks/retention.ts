import { asc, ne, lt, and, sql } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { webhookDeliveries } from "../db/schema.ts";

/**
 * Deletes deliveries (with their attempts) made more than `retentionDays` ago that are settled,
 * succeeded or failed, oldest first, bounded like the other retention chores; a pending one stays
 * until its retries are spent. Answers how many went.
 */
export async function pruneWebhookDeliveries(
  db: Database,
  {
    retentionDays,
    batchSize = 500,
    maxBatches = 10,
  }: { retentionDays: number; batchSize?: number; maxBatches?: number },
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const doomed = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          ne(webhookDeliveries.status, "pending"),
          lt(
            webhookDeliveries.createdAt,
            sql`now() - make_interval(secs => ${retentionDays * 86_400}::double precision)`,
          ),
        ),
      )
      .orderBy(asc(webhookDeliveries.createdAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(webhookDeliveries)
      .where(sql`${webhookDeliveries.id} in (${doomed})`)
      .returning({ id: webhookDeliveries.id });
    deleted += rows.length;
    if (rows.length < batchSize) break;
  }
  return deleted;
}
