import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Everything the notifications service stores lives in this schema; no other service reads it. */
export const notificationsSchema = pgSchema("notifications");

export const outbox = outboxTable(notificationsSchema);
