import { text, timestamp, uuid, type PgSchema } from "drizzle-orm/pg-core";
import type { DatabaseOf, SchemaModule, TransactionOf } from "./database.ts";

/**
 * Events a consuming service has applied, written in the same transaction as their effect:
 * delivery is at least once (Queue retries, relay sweeps, bridge restarts), so the second
 * delivery of an event finds its row and changes nothing.
 */
export function processedEventsTable(schema: PgSchema) {
  return schema.table("processed_events", {
    eventId: uuid("event_id").primaryKey(),
    type: text("type").notNull(),
    /** Kept so a journey can be traced from the request that caused it to every effect. */
    correlationId: text("correlation_id"),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  });
}

type ProcessedEvents = ReturnType<typeof processedEventsTable>;

/** What the dedupe needs of an event envelope. */
export interface ConsumedEvent {
  readonly id: string;
  readonly type: string;
  readonly metadata: { readonly correlationId: string };
}

export type ConsumeOutcome = "applied" | "duplicate";

/**
 * Applies an event's effect at most once per consumer: the processed-event row and the effect
 * commit in one transaction. A second delivery (even a concurrent one: the primary key makes it
 * wait, then find the row) returns "duplicate" without running the effect; an effect that throws
 * rolls the mark back too, so the retry applies it.
 */
export async function consumeOnce<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  processedEvents: ProcessedEvents,
  event: ConsumedEvent,
  effect: (tx: TransactionOf<TSchema>) => Promise<void>,
): Promise<ConsumeOutcome> {
  return db.transaction(async (tx) => {
    const marked = await tx
      .insert(processedEvents)
      .values({ eventId: event.id, type: event.type, correlationId: event.metadata.correlationId })
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId });
    if (marked.length === 0) return "duplicate";
    await effect(tx);
    return "applied";
  });
}
