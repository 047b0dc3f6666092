import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { outboxTable, processedEventsTable } from "@platform/db";

/** Everything the notifications service stores lives in this schema; no other service reads it. */
export const notificationsSchema = pgSchema("notifications");

const instant = (name: string) => timestamp(name, { withTimezone: true });

/**
 * What a notice is about, as a person chooses what reaches them (docs/notifications.md). `security`
 * mail (sign-in, password and address changes) cannot be turned off; every other category's mail
 * carries a one-click unsubscribe link.
 */
export const categoryEnum = notificationsSchema.enum("category", [
  "security",
  "purchases",
  "subscriptions",
  "learning",
  "onboarding",
]);

/** How a notice reaches a person: the same three channels as `NOTIFICATION_SENT`. */
export const channelEnum = notificationsSchema.enum("channel", ["email", "push", "in_app"]);

/**
 * A delivery's life: `pending` until its channel accepted it (`sent`), or until a permanent refusal
 * or the last attempt (`failed`). A delivery is never attempted again once it left `pending`.
 */
export const deliveryStatusEnum = notificationsSchema.enum("delivery_status", ["pending", "sent", "failed"]);

/** A person's choices that differ from the defaults (every channel on): one row per category and channel. */
export const preferences = notificationsSchema.table(
  "preferences",
  {
    userId: uuid("user_id").notNull(),
    category: categoryEnum("category").notNull(),
    channel: channelEnum("channel").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.category, table.channel] }),
    // Security mail is the one thing a person cannot mute (the API refuses it; this keeps the rows honest).
    check(
      "preferences_security_email_on",
      sql`not (${table.category} = 'security' and ${table.channel} = 'email' and not ${table.enabled})`,
    ),
  ],
);

/** The in-app inbox: one row per notice shown to a person, newest first. */
export const notices = notificationsSchema.table(
  "notices",
  {
    /** UUIDv7: time-ordered, so (created_at, id) is the inbox's keyset cursor. */
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    category: categoryEnum("category").notNull(),
    template: text("template").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Where the notice leads (a course, a certificate), absolute path on the platform's origin. */
    link: text("link"),
    /** The event that caused it, when one did. */
    causedBy: uuid("caused_by"),
    createdAt: instant("created_at").notNull().defaultNow(),
    readAt: instant("read_at"),
  },
  (table) => [
    index("notices_user_recent_idx").on(table.userId, table.createdAt.desc(), table.id.desc()),
    index("notices_user_unread_idx")
      .on(table.userId)
      .where(sql`${table.readAt} is null`),
  ],
);

/**
 * Every attempt to reach someone over a channel: the delivery log, and the retry queue (pending rows
 * whose `next_attempt_at` has come are the sweep's work). `payload` is the rendered message, so a
 * template error surfaces when the event is consumed (dead letter), never as a half-filled mail.
 */
export const deliveries = notificationsSchema.table(
  "deliveries",
  {
    id: uuid("id").primaryKey(),
    /** Null only for mail to an address that has no account behind it yet. */
    userId: uuid("user_id"),
    channel: channelEnum("channel").notNull(),
    category: categoryEnum("category").notNull(),
    template: text("template").notNull(),
    locale: text("locale").notNull(),
    /** The email address, or the push subscription's id; null for in-app. */
    recipient: text("recipient"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: deliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    /** The provider's id for the accepted message (SMTP queue id, API message id, push service location). */
    providerId: text("provider_id"),
    causedBy: uuid("caused_by"),
    /** One delivery per cause, channel, template and recipient: a re-sent event cannot mail twice. */
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    sentAt: instant("sent_at"),
  },
  (table) => [
    uniqueIndex("deliveries_dedupe_key").on(table.dedupeKey),
    index("deliveries_due_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
    index("deliveries_user_idx").on(table.userId, table.createdAt.desc()),
    check("deliveries_attempts_non_negative", sql`${table.attempts} >= 0`),
  ],
);

/** A browser's Web Push subscription (RFC 8030 endpoint, RFC 8291 keys), one row per endpoint. */
export const pushSubscriptions = notificationsSchema.table(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    endpoint: text("endpoint").notNull(),
    /** The browser's P-256 public key, base64url (65 bytes uncompressed). */
    p256dh: text("p256dh").notNull(),
    /** The shared authentication secret, base64url (16 bytes). */
    auth: text("auth").notNull(),
    userAgent: text("user_agent"),
    createdAt: instant("created_at").notNull().defaultNow(),
    lastSuccessAt: instant("last_success_at"),
  },
  (table) => [
    uniqueIndex("push_subscriptions_endpoint_key").on(table.endpoint),
    index("push_subscriptions_user_idx").on(table.userId),
  ],
);

export const processedEvents = processedEventsTable(notificationsSchema);

export const outbox = outboxTable(notificationsSchema);
