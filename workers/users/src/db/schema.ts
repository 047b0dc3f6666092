import { text, timestamp, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Profiles: what a person shows of themselves. Keyed by the auth service's account id. */
export const usersSchema = pgSchema("users");

export const profiles = usersSchema.table("profiles", {
  userId: uuid("user_id").primaryKey(),
  name: text("name").notNull(),
  avatarUrl: text("avatar_url"),
  locale: text("locale").notNull().default("en"),
  timeZone: text("time_zone").notNull().default("UTC"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const outbox = outboxTable(usersSchema);
