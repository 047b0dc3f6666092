import { inArray, sql } from "drizzle-orm";
import type { Database } from "./db/database.ts";
import { deliveryFailures } from "./db/schema.ts";

/** How much of a failure's text a dead letter keeps: enough to name the cause, never a whole stack. */
const REASON_LIMIT = 2000;

export interface NotedFailure {
  readonly eventId: string;
  readonly reason: string;
}

/** Notes the latest failure of each event the router asked the Queue to retry (one statement per batch). */
export async function noteFailures(db: Database, failures: readonly NotedFailure[]): Promise<void> {
  if (failures.length === 0) return;
  // One row per event: a batch may hold the same event twice (a producer's re-send beside the original).
  const latest = new Map(failures.map((failure) => [failure.eventId, failure.reason.slice(0, REASON_LIMIT)]));
  await db
    .insert(deliveryFailures)
    .values([...latest].map(([eventId, lastError]) => ({ eventId, lastError })))
    .onConflictDoUpdate({
      target: deliveryFailures.eventId,
      set: {
        lastError: sql`excluded.last_error`,
        failures: sql`${deliveryFailures.failures} + 1`,
        updatedAt: sql`now()`,
      },
    });
}

/** Forgets the failures of events that were delivered after all. */
export async function forgetFailures(db: Database, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db.delete(deliveryFailures).where(inArray(deliveryFailures.eventId, [...eventIds]));
}
