import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Everything the payments service stores lives in this schema; no other service reads it. */
export const paymentsSchema = pgSchema("payments");

export const outbox = outboxTable(paymentsSchema);
