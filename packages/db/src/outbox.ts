import { sql } from "drizzle-orm";
import { bigint, index, jsonb, text, timestamp, uuid, type PgSchema } from "drizzle-orm/pg-core";

/**
 * The transactional outbox every service schema carries: a domain change and the event that
 * describes it are written in one transaction. Two independent relays read it (the Queue relay
 * and the Kafka bridge), so each keeps its own "done" column and partial index.
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
      queuedAt: timestamp("queued_at", { withTimezone: true }),
      kafkaPublishedAt: timestamp("kafka_published_at", { withTimezone: true }),
    },
    (table) => [
      index("outbox_unqueued_idx")
        .on(table.seq)
        .where(sql`${table.queuedAt} is null`),
      index("outbox_kafka_unpublished_idx")
        .on(table.seq)
        .where(sql`${table.kafkaPublishedAt} is null`),
    ],
  );
}
