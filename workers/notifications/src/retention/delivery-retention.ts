import { and, asc, lt, ne, sql } from "drizzle-orm";
import { retentionDays } from "@platform/db";
import type { Database } from "../db/database.ts";
import { deliveries } from "../db/schema.ts";

/**
 * How long the delivery log keeps a delivery that left `pending` (sent, or failed for good):
 * `DELIVERY_RETENTION_DAYS` after it was written. A pending one is the retry queue's work and is
 * never deleted here. A delivery's `dedupe_key` keeps a re-sent event from mailing twice, but an
 * event comes back only within its consumers' dedupe window (`PROCESSED_EVENTS_RETENTION_DAYS`,
 * 30 days by default), so a log kept longer than that loses no protection; the row also holds the
 * recipient's address and the rendered message, which are not kept for good (docs/scaling.md#retention).
 */
export const DEFAULT_DELIVERY_RETENTION_DAYS = 90;

export interface DeliveryRetentionBindings {
  /** Days a sent or failed delivery is kept after it was written (default 90). */
  readonly DELIVERY_RETENTION_DAYS?: string;
}

export function deliveryRetentionDays(bindings: DeliveryRetentionBindings): number {
  return retentionDays(bindings.DELIVERY_RETENTION_DAYS, DEFAULT_DELIVERY_RETENTION_DAYS);
}

export interface DeliveryPruneOptions {
  readonly retentionDays: number;
  /** Rows deleted per statement, so one run never holds many locks or a long transaction. */
  readonly batchSize?: number;
  /** Stops after this many batches; what is left goes on the next run. */
  readonly maxBatches?: number;
}

/**
 * Deletes finished deliveries written more than `retentionDays` ago, oldest first (ids are UUIDv7,
 * so the primary key is in time order and finds them without a scan), bounded; answers how many went.
 */
export async function pruneDeliveries(
  db: Database,
  { retentionDays: days, batchSize = 500, maxBatches = 10 }: DeliveryPruneOptions,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const doomed = db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          ne(deliveries.status, "pending"),
          lt(deliveries.createdAt, sql`now() - make_interval(secs => ${days * 86_400}::double precision)`),
        ),
      )
      .orderBy(asc(deliveries.id))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(deliveries)
      .where(sql`${deliveries.id} in (${doomed})`)
      .returning({ id: deliveries.id });
    deleted += rows.length;
    if (rows.length < batchSize) break;
  }
  return deleted;
}
