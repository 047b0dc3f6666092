import { sql } from "drizzle-orm";
import { check, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Identity and credentials. Profiles live in the users service; this schema holds who may sign in. */
export const authSchema = pgSchema("auth");

export const roleEnum = authSchema.enum("role", ["learner", "instructor", "admin"]);
export const accountStatusEnum = authSchema.enum("account_status", ["active", "disabled"]);

export const accounts = authSchema.table(
  "accounts",
  {
    id: uuid("id").primaryKey(),
    /** Stored normalised (trimmed, lower-case) so uniqueness cannot be dodged by case. */
    email: text("email").notNull(),
    /** Self-describing KDF string (`scrypt$…`), so the cost can be raised later without a migration. */
    passwordHash: text("password_hash").notNull(),
    roles: roleEnum("roles").array().notNull().default(sql`'{learner}'::auth.role[]`),
    status: accountStatusEnum("status").notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("accounts_email_key").on(table.email),
    check("accounts_email_normalised", sql`${table.email} = lower(btrim(${table.email}))`),
    check("accounts_has_role", sql`cardinality(${table.roles}) > 0`),
  ],
);

export const outbox = outboxTable(authSchema);
