import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { deliveries } from "../db/schema.ts";
import { CLAIM_LEASE_SECONDS } from "./settings.ts";

export type ClaimedDelivery = typeof deliveries.$inferSelect;

export interface ClaimOptions {
  readonly now: Date;
  /** At most this many (a sweep is bounded: the cron comes again in a minute). */
  readonly limit: number;
  /** Only these (the deliveries an event or an account mail just wrote); all due ones when left out. */
  readonly ids?: readonly string[];
}

/**
 * Claims pending deliveries whose time has come, in one statement (its own short transaction): the rows are
 * locked `FOR UPDATE SKIP LOCKED`, so a concurrent sweep takes others or none, and each claimed row's
 * `attempts` is counted and its `next_attempt_at` moved a lease ahead. The attempt itself happens outside any
 * transaction; a second sweep while it runs does not find the row due. Oldest due first.
 */
export async function claimDue(db: Database, { now, limit, ids }: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (ids && ids.length === 0) return [];
  const due = db.$with("due").as(
    db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.status, "pending"),
          lte(deliveries.nextAttemptAt, now),
          ids ? inArray(deliveries.id, [...ids]) : undefined,
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true }),
  );
  const leaseEnds = new Date(now.getTime() + CLAIM_LEASE_SECONDS * 1000);
  return db
    .with(due)
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: leaseEnds })
    .where(inArray(deliveries.id, db.select({ id: due.id }).from(due)))
    .returning();
}
