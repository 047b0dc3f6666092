import { and, asc, isNotNull, lt, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { openDatabase, type DatabaseBindings } from "./client.ts";
import type { DatabaseOf, SchemaModule } from "./database.ts";
import type { outboxTable } from "./outbox.ts";
import type { processedEventsTable } from "./processed-events.ts";

type Outbox = ReturnType<typeof outboxTable>;
type ProcessedEvents = ReturnType<typeof processedEventsTable>;

/**
 * Retention of the event tables. An outbox row carries the whole envelope (a `USER_CREATED` holds
 * the email), so it is kept only while something may still need it: until the router confirmed
 * it (the sweep's re-send reads it until then) and the Kafka bridge published it, and for a few
 * days after that for tracing. `processed_events` rows hold only ids and types; they are kept much
 * longer, because deleting one lets a late re-delivery of that event apply twice (docs/events.md#retention).
 */
export const DEFAULT_OUTBOX_RETENTION_DAYS = 7;
export const DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS = 30;

/** Bindings a domain worker may set; all optional, with safe defaults. */
export interface RetentionBindings {
  /** Days a delivered outbox row is kept after it was written (default 7). */
  readonly OUTBOX_RETENTION_DAYS?: string;
  /**
   * "false" where no Kafka bridge reads the outboxes: rows then go without `kafka_published_at`.
   * Anything else (the default) keeps every row the bridge has not published, so nothing is lost to Kafka.
   */
  readonly KAFKA_BRIDGE_ENABLED?: string;
  /** Days a consumer keeps the ids of events it applied, for dedupe (default 30). */
  readonly PROCESSED_EVENTS_RETENTION_DAYS?: string;
}

/** A number of days (0 or more) from a worker's var, else the default. */
export function retentionDays(value: string | undefined, fallback: number): number {
  const days = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(days) && days >= 0 ? days : fallback;
}

/** Only an explicit "false" turns the Kafka condition off: a typo must not delete unpublished rows. */
export function kafkaBridgeEnabled(value: string | undefined): boolean {
  return value?.trim().toLowerCase() !== "false";
}

export interface PruneOptions {
  /** Rows deleted per statement, so one run never holds many locks or a long transaction. */
  readonly batchSize?: number;
  /** Stops after this many batches; what is left goes on the next run. */
  readonly maxBatches?: number;
}

export interface OutboxPruneOptions extends PruneOptions {
  readonly retentionDays: number;
  /** Whether a row must also carry `kafka_published_at` before it may go. */
  readonly requireKafkaPublished: boolean;
}

/** The condition "written more than `days` ago", in the database's clock. */
export const olderThanDays = (column: AnyPgColumn, days: number) =>
  lt(column, sql`now() - make_interval(secs => ${days * 86_400}::double precision)`);

/**
 * Runs one bounded delete (`run(limit)` answers how many rows it deleted) until a batch comes up
 * short or `maxBatches` ran: every retention chore's loop, so one run never holds many locks or a
 * long transaction, and what is left goes on the next run.
 */
export async function deleteBatches(
  run: (limit: number) => Promise<number>,
  { batchSize = 500, maxBatches = 10 }: PruneOptions,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await run(batchSize);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}

/**
 * Deletes outbox rows nothing needs any more: confirmed by the router (never re-sent again),
 * published to Kafka when the bridge is in use, and written more than `retentionDays` ago. An
 * unconfirmed row is never deleted, however old: it is the only copy of an event not yet applied.
 * Rows the relays hold (`FOR UPDATE`) are skipped. Returns how many rows it deleted.
 */
export async function pruneOutbox<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  { retentionDays: days, requireKafkaPublished, ...bounds }: OutboxPruneOptions,
): Promise<number> {
  const done = and(
    isNotNull(outbox.confirmedAt),
    requireKafkaPublished ? isNotNull(outbox.kafkaPublishedAt) : undefined,
    olderThanDays(outbox.createdAt, days),
  );
  return deleteBatches(async (limit) => {
    const doomed = db
      .select({ seq: outbox.seq })
      .from(outbox)
      .where(done)
      .orderBy(asc(outbox.seq))
      .limit(limit)
      .for("update", { skipLocked: true });
    const deleted = await db
      .delete(outbox)
      .where(sql`${outbox.seq} in (${doomed})`)
      .returning({ seq: outbox.seq });
    return deleted.length;
  }, bounds);
}

/**
 * Deletes a consumer's dedupe marks older than `retentionDays`. Safe as long as no event comes
 * back later than that: the Queue's retries and dead-letter queue take minutes, the sweep's
 * re-sends are an hour apart at most, but a re-send goes on as long as some subscriber keeps
 * failing, and an admin may replay a dead letter at any time; hence a window of weeks, not hours.
 */
export async function pruneProcessedEvents<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  processedEvents: ProcessedEvents,
  { retentionDays: days, ...bounds }: PruneOptions & { readonly retentionDays: number },
): Promise<number> {
  return deleteBatches(async (limit) => {
    const doomed = db
      .select({ eventId: processedEvents.eventId })
      .from(processedEvents)
      .where(olderThanDays(processedEvents.processedAt, days))
      .limit(limit)
      .for("update", { skipLocked: true });
    const deleted = await db
      .delete(processedEvents)
      .where(sql`${processedEvents.eventId} in (${doomed})`)
      .returning({ eventId: processedEvents.eventId });
    return deleted.length;
  }, bounds);
}

export interface PruneReport {
  readonly outbox: number;
  readonly processedEvents: number;
}

/**
 * The cron's retention chore for one service, on its own pool: its outbox, and its
 * `processed_events` when it consumes events. Each bounded; the rest goes on the next run.
 */
export async function pruneEventTables<TSchema extends SchemaModule>(
  bindings: DatabaseBindings & RetentionBindings,
  schema: TSchema,
  tables: { readonly outbox: Outbox; readonly processedEvents?: ProcessedEvents | undefined },
): Promise<PruneReport> {
  const database = openDatabase(bindings, schema);
  try {
    const outbox = await pruneOutbox(database.db, tables.outbox, {
      retentionDays: retentionDays(bindings.OUTBOX_RETENTION_DAYS, DEFAULT_OUTBOX_RETENTION_DAYS),
      requireKafkaPublished: kafkaBridgeEnabled(bindings.KAFKA_BRIDGE_ENABLED),
    });
    const processedEvents = tables.processedEvents
      ? await pruneProcessedEvents(database.db, tables.processedEvents, {
          retentionDays: retentionDays(
            bindings.PROCESSED_EVENTS_RETENTION_DAYS,
            DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS,
          ),
        })
      : 0;
    return { outbox, processedEvents };
  } finally {
    await database.close();
  }
}
