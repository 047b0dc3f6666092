import { asc, sql } from "drizzle-orm";
import { deleteBatches, olderThanDays, retentionDays, type PruneOptions } from "@platform/db";
import type { Database } from "./db/database.ts";
import { deadLetters } from "./db/schema.ts";

/**
 * How long a dead letter is kept: `DEAD_LETTER_RETENTION_DAYS` after it was received, replayed or
 * not, then it goes whole. A dead letter is a record of one failed round, never the only copy of an
 * event: its producer keeps the event in its outbox until every subscriber has applied it, and
 * re-sends it at least hourly, so an event that still fails keeps adding fresh dead letters and an
 * old one going hides no live failure. Its body may hold personal data (a USER_CREATED's email),
 * and past the subscribers' dedupe window (`PROCESSED_EVENTS_RETENTION_DAYS`, also 30 by default)
 * a replay could apply an event twice: so no dead letter outlives that window (docs/events.md#dead-letters).
 */
export const DEFAULT_DEAD_LETTER_RETENTION_DAYS = 30;

export interface DeadLetterRetentionBindings {
  /** Days a dead letter is kept after it was received (default 30). */
  readonly DEAD_LETTER_RETENTION_DAYS?: string;
}

export function deadLetterRetentionDays(bindings: DeadLetterRetentionBindings): number {
  return retentionDays(bindings.DEAD_LETTER_RETENTION_DAYS, DEFAULT_DEAD_LETTER_RETENTION_DAYS);
}

export interface DeadLetterPruneOptions extends PruneOptions {
  readonly retentionDays: number;
}

/** Deletes dead letters received more than `retentionDays` ago, oldest first, bounded; answers how many went. */
export async function pruneDeadLetters(
  db: Database,
  { retentionDays: days, ...bounds }: DeadLetterPruneOptions,
): Promise<number> {
  return deleteBatches(async (limit) => {
    const doomed = db
      .select({ id: deadLetters.id })
      .from(deadLetters)
      .where(olderThanDays(deadLetters.receivedAt, days))
      .orderBy(asc(deadLetters.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(deadLetters)
      .where(sql`${deadLetters.id} in (${doomed})`)
      .returning({ id: deadLetters.id });
    return rows.length;
  }, bounds);
}
