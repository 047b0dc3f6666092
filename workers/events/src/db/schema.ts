import { index, integer, jsonb, pgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** The event router's own data: integrators' events waiting to be relayed, and dead letters. */
export const eventsSchema = pgSchema("events");

/** Events accepted from integrators (through the Kafka bridge); relayed like any service's events. */
export const outbox = outboxTable(eventsSchema);

/**
 * Messages the Queue gave up on after their retries. Kept whole, so an operator can read what
 * went wrong and replay a message once the cause is fixed.
 */
export const deadLetters = eventsSchema.table(
  "dead_letters",
  {
    id: uuid("id").primaryKey(),
    /** The Queue's message id: a dead-letter message delivered twice is recorded once. */
    messageId: text("message_id").notNull().unique(),
    /** Null when the body was not even an envelope. */
    eventId: uuid("event_id"),
    eventType: text("event_type"),
    body: jsonb("body").notNull(),
    attempts: integer("attempts").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
  },
  (table) => [index("dead_letters_event_id_idx").on(table.eventId)],
);
