import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, text, timestamp, uuid, type PgSchema } from "drizzle-orm/pg-core";

/**
 * The transactional outbox every service schema carries: a domain change and the event that
 * describes it are written in one transaction. Two independent relays read it (the Queue relay
 * and the Kafka bridge), so each keeps its own "done" column and partial index.
 *
 * The Queue side is done only when the event router confirms that every subscriber applied the
 * event (`confirmed_at`): a message the Queue dropped (its retries and the dead-letter queue's all
 * spent while PostgreSQL was down) is re-sent by the sweep, not lost (docs/events.md).
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    "outbox",
    {
      /** Commit-ish order for relays; the event id (UUIDv7) is the identity consumers dedupe on. */
      seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
      id: uuid("id").notNull().unique(),
      type: text("type").notNull(),
      topic: text("topic").notNull(),
      aggregateId: text("aggregate_id").notNull(),
      envelope: jsonb("envelope").notNull(),
      createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
      /** Last handed to the Queue (the first send, or the sweep's latest re-send). */
      queuedAt: timestamp("queued_at", { withTimezone: true }),
      /** How many times the row was handed to the Queue; spaces out the re-sends of an event that keeps failing. */
      queueSends: integer("queue_sends").notNull().default(0),
      /** Every subscriber applied the event (or had it already, or ignores it): never re-sent again. */
      confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
      kafkaPublishedAt: timestamp("kafka_published_at", { withTimezone: true }),
    },
    (table) => [
      index("outbox_unqueued_idx")
        .on(table.seq)
        .where(sql`${table.queuedAt} is null`),
      index("outbox_unconfirmed_idx")
        .on(table.queuedAt)
        .where(sql`${table.queuedAt} is not null and ${table.confirmedAt} is null`),
      index("outbox_kafka_unpublished_idx")
        .on(table.seq)
        .where(sql`${table.kafkaPublishedAt} is null`),
    ],
  );
}
