import { isNull, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { DatabaseOf, SchemaModule } from "./database.ts";
import type { outboxTable } from "./outbox.ts";

export interface OutboxGauges {
  /** The schema the outbox belongs to (`auth`, `courses`…). */
  readonly schema: string;
  /** Rows the router has not confirmed delivered to every subscriber. */
  readonly pending: number;
  /** Seconds since the oldest of those was written; 0 when there are none. */
  readonly oldestPendingAgeSeconds: number;
}

/**
 * How far behind a service's event delivery is, read when metrics are scraped: one statement on
 * the partial indexes of unqueued and unconfirmed rows (retention keeps confirmed rows few, and
 * they are not read). The age is the database's clock against the rows' own timestamps.
 */
export async function readOutboxGauges<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: ReturnType<typeof outboxTable>,
): Promise<OutboxGauges> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*)::int`,
      oldestAge: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8`,
    })
    .from(outbox)
    .where(isNull(outbox.confirmedAt));
  return {
    schema: getTableConfig(outbox).schema ?? "public",
    pending: row?.pending ?? 0,
    oldestPendingAgeSeconds: Math.max(0, row?.oldestAge ?? 0),
  };
}
