import { index, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable, processedEventsTable } from "@platform/db";

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
 * Who erased their account, and when: only the opaque account id, no name or email. An event that
 * arrives after the erasure (a late or re-sent USER_CREATED) must not bring the profile back, and
 * the processed-event mark alone cannot stop it when the erasure ran before the event arrived.
 */
export const erasedUsers = usersSchema.table("erased_users", {
  userId: uuid("user_id").primaryKey(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
});

export const processedEvents = processedEventsTable(usersSchema);

export const outbox = outboxTable(usersSchema);
