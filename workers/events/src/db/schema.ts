import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgSchema, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import type { EventType, PlatformEvent } from "@platform/events";
import { outboxTable, processedEventsTable } from "@platform/db";

/** The event router's own data: integrators' events waiting to be relayed, and dead letters. */
export const eventsSchema = pgSchema("events");

/** Events accepted from integrators (through the Kafka bridge); relayed like any service's events. */
export const outbox = outboxTable(eventsSchema);

/**
 * Messages the Queue gave up on after their retries. Kept whole, so an operator can read what
 * went wrong and replay a message once the cause is fixed; for `DEAD_LETTER_RETENTION_DAYS`
 * only, and those about a person go when that person is erased (erasure.ts, docs/events.md#dead-letters).
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
    /** Why it could not be delivered: the last failure the router saw (a subscriber's error), when it could note one. */
    reason: text("reason"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
  },
  (table) => [index("dead_letters_event_id_idx").on(table.eventId)],
);

/**
 * The last failure of each event a subscriber refused, noted by the router as it asks the Queue to
 * retry, so that a dead letter can say why it died (a Queue message carries no reason). Noted only
 * on failure and removed once the event is delivered or dead-lettered: the happy path never writes here.
 */
export const deliveryFailures = eventsSchema.table("delivery_failures", {
  eventId: uuid("event_id").primaryKey(),
  lastError: text("last_error").notNull(),
  failures: integer("failures").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The events this worker applies itself (USER_DELETED to its dead letters), once each. */
export const processedEvents = processedEventsTable(eventsSchema);

/**
 * Who was erased, and when: only the opaque account id, nothing personal. A dead letter about an
 * erased account that comes in after USER_DELETED (an event still going round its retries, or
 * re-sent by its producer's sweep) must not be kept, and only this tells the recorder so.
 */
export const erasedUsers = eventsSchema.table("erased_users", {
  userId: uuid("user_id").primaryKey(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Which courses an integrator may enroll learners in: every course, or the ones listed. An
 * enrollment is a grant of paid access, so it is a right given per integrator, not a given.
 */
export type CourseScope = { readonly courses: "all" } | { readonly courses: readonly string[] };

/**
 * Systems outside the platform allowed to send events through the Kafka bridge, registered by an
 * admin. Each signs what it writes with its own Ed25519 private key; only the public key is kept.
 */
export const integrators = eventsSchema.table("integrators", {
  id: uuid("id").primaryKey(),
  /** A short slug; the integrator's events must say `source: "integrator:<name>"`. */
  name: text("name").notNull().unique(),
  /** The public JWK (`kty: "OKP"`, `crv: "Ed25519"`, `x`). */
  publicKey: jsonb("public_key").$type<{ kty: "OKP"; crv: "Ed25519"; x: string }>().notNull(),
  /** The inbound event types it may send (a subset of INBOUND_EVENT_TYPES). */
  eventTypes: text("event_types").array().$type<EventType[]>().notNull(),
  scope: jsonb("scope").$type<CourseScope>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set by an admin: from then on its events are refused. */
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
});

/**
 * The event feed (`GET /api/events`, docs/integrators.md#event-feed): every event the router delivered,
 * once each, in the order the router recorded them. `seq` is the feed's cursor: appends are serialised
 * (event-feed.ts), so a row with a higher `seq` never commits before one with a lower, and a reader
 * that has seen `seq` n never later finds a new row below it. Kept `EVENT_FEED_RETENTION_DAYS`; the
 * rows about a person go when that person is erased (erasure.ts).
 */
export const feed = eventsSchema.table(
  "feed",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** A redelivered event (the Queue's retries, its producer's re-sends, a replayed dead letter) is kept once. */
    eventId: uuid("event_id").notNull().unique(),
    type: text("type").$type<EventType>().notNull(),
    topic: text("topic").notNull(),
    /** The envelope's own time (`metadata.timestamp`): when its producer wrote it. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    /** When the router appended it: what retention counts from. */
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    envelope: jsonb("envelope").$type<PlatformEvent>().notNull(),
  },
  (table) => [index("feed_type_seq_idx").on(table.type, table.seq), index("feed_recorded_at_idx").on(table.recordedAt)],
);

/**
 * Integrators' webhook endpoints (docs/integrators.md#webhooks): a URL subscribed to event types,
 * owned by the admin who made it (or whose API key did). `secret` is the Standard Webhooks signing
 * secret (`whsec_…`), sealed with `WEBHOOK_SECRETS_KEY` (secret-box): the router must read it back
 * to sign, and a database dump must not give it away.
 */
export const webhookEndpoints = eventsSchema.table("webhook_endpoints", {
  id: uuid("id").primaryKey(),
  ownerId: uuid("owner_id").notNull(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  eventTypes: text("event_types").array().$type<EventType[]>().notNull(),
  secret: text("secret").notNull(),
  /**
   * The secret before the last rotation, sealed the same way, still signing (beside the new one) until
   * `previous_secret_expires_at`, so a receiver can switch without missing a delivery.
   */
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  /** Since when every attempt has failed (null while the last one succeeded): what disabling counts from. */
  failingSince: timestamp("failing_since", { withTimezone: true }),
  /** Set when the router gave up on it, or an admin paused it; deliveries stop until it is enabled again. */
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  disabledReason: text("disabled_reason"),
});

/**
 * One event for one endpoint. Its id is the `webhook-id` every attempt of it carries (retries and
 * manual redeliveries alike), so a receiver dedupes on it. `payload` is the body exactly as it is
 * signed and sent. Pending ones are claimed by `next_attempt_at`; kept `WEBHOOK_DELIVERY_RETENTION_DAYS`.
 */
export const webhookDeliveries = eventsSchema.table(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").$type<EventType>().notNull(),
    payload: text("payload").notNull(),
    /** `pending` (due at `next_attempt_at`), `succeeded`, or `failed` (its retries spent, or its endpoint disabled). */
    status: text("status").$type<"pending" | "succeeded" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    /** The receiver's last HTTP status (null: no answer: refused, timed out, not a valid target). */
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    succeededAt: timestamp("succeeded_at", { withTimezone: true }),
  },
  (table) => [
    unique("webhook_deliveries_endpoint_event_key").on(table.endpointId, table.eventId),
    index("webhook_deliveries_due_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(table.endpointId, table.id),
    index("webhook_deliveries_created_at_idx").on(table.createdAt),
  ],
);

/** Every attempt of a delivery, for the delivery log: when, what came back, how long it took. */
export const webhookAttempts = eventsSchema.table(
  "webhook_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
    /** `scheduled` (the first send and its retries) or `manual` (an admin's redelivery). */
    trigger: text("trigger").$type<"scheduled" | "manual">().notNull(),
    status: integer("status"),
    error: text("error"),
    /** The start of the receiver's answer, for the log (at most 1 000 characters). */
    responseExcerpt: text("response_excerpt"),
    durationMs: integer("duration_ms").notNull(),
  },
  (table) => [index("webhook_attempts_delivery_idx").on(table.deliveryId, table.id)],
);
