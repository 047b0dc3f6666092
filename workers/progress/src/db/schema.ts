import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Everything the progress service stores lives in this schema; no other service reads it. */
export const progressSchema = pgSchema("progress");

export const outbox = outboxTable(progressSchema);
