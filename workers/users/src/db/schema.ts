import { index, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Profiles: what a person shows of themselves. Keyed by the auth service's account id. */
export const usersSchema = pgSchema("users");

export const profiles = usersSchema.table(
  "profiles",
  {
    userId: uuid("user_id").primaryKey(),
    name: text("name").notNull(),
    /** A copy from USER_CREATED, so admins can search by email without asking the auth service. */
    email: text("email"),
    avatarUrl: text("avatar_url"),
    locale: text("locale").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("profiles_email_idx").on(table.email)],
);

/**
 * Events this service has applied, recorded in the same transaction as their effect, so a
 * redelivered event (delivery is at least once) changes nothing the second time.
 */
export const processedEvents = usersSchema.table("processed_events", {
  eventId: uuid("event_id").primaryKey(),
  type: text("type").notNull(),
  processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
});

export const outbox = outboxTable(usersSchema);
