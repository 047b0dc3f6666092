import { and, asc, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import { errorText, logLine } from "@platform/http-kit";
import { openDatabase, type DatabaseBindings, type DatabaseHandle } from "./client.ts";
import type { DatabaseOf, SchemaModule } from "./database.ts";
import type { outboxTable } from "./outbox.ts";

type Outbox = ReturnType<typeof outboxTable>;

/** The part of a Cloudflare Queue producer binding the relay uses (kept structural, so Node code can type-check it). */
export interface QueueProducer {
  sendBatch(messages: Iterable<{ body: unknown; contentType?: "json" }>): Promise<unknown>;
}

export interface RelayOptions {
  /** Rows claimed per transaction; a Queue `sendBatch` takes at most 100 messages. */
  readonly batchSize?: number;
  /** Stops after this many batches, so one request's `waitUntil` or one cron run stays bounded. */
  readonly maxBatches?: number;
}

/** Cloudflare caps a `sendBatch` at 256 KB in all; stay under it with room for per-message overhead. */
const MAX_BATCH_BYTES = 200_000;

function chunksUnderLimit<T extends { envelope: unknown }>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row.envelope).length;
    if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends outbox rows that have not reached the Queue yet, oldest first, and marks them queued.
 *
 * Rows are claimed `FOR UPDATE SKIP LOCKED`, so the request-time fast path and the cron sweep
 * can run at once without sending a row twice in the common case. If the send succeeds and the
 * mark is lost (the isolate dies), the row goes again on the next sweep: delivery is at least
 * once, and consumers dedupe on the event id. Returns how many rows were sent.
 */
export async function relayOutboxToQueue<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
  { batchSize = 100, maxBatches = 10 }: RelayOptions = {},
): Promise<number> {
  return sendClaimedRows(db, outbox, queue, {
    where: isNull(outbox.queuedAt),
    order: asc(outbox.seq),
    batchSize,
    maxBatches,
  });
}

/**
 * The one way rows leave an outbox for the Queue, for the first send and for re-sends alike:
 * claim a batch `FOR UPDATE SKIP LOCKED` (so concurrent relays never send a row twice in the
 * common case), send it in chunks under the Queue's size cap, mark it queued, commit; repeat
 * while batches come back full, up to `maxBatches`. Returns how many rows were sent.
 */
async function sendClaimedRows<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
  {
    where,
    order,
    batchSize,
    maxBatches,
  }: { where: SQL | undefined; order: SQL; batchSize: number; maxBatches: number },
): Promise<number> {
  let sent = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ seq: outbox.seq, envelope: outbox.envelope })
        .from(outbox)
        .where(where)
        .orderBy(order)
        .limit(batchSize)
        .for("update", { skipLocked: true });
      for (const chunk of chunksUnderLimit(rows)) {
        await queue.sendBatch(chunk.map((row) => ({ body: row.envelope, contentType: "json" as const })));
      }
      await markQueued(tx, outbox, rows);
      return rows.length;
    });
    sent += claimed;
    if (claimed < batchSize) break;
  }
  return sent;
}

async function markQueued(
  tx: Pick<DatabaseOf<SchemaModule>, "update">,
  outbox: Outbox,
  rows: ReadonlyArray<{ seq: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .update(outbox)
    .set({ queuedAt: sql`now()`, queueSends: sql`${outbox.queueSends} + 1` })
    .where(
      inArray(
        outbox.seq,
        rows.map((row) => row.seq),
      ),
    );
}

/**
 * How long a queued event may stay unconfirmed before the sweep sends it again: longer than the
 * Queue's whole retry schedule (platform-events: 5 retries from 5 s, ≈ 155 s), so a message the
 * Queue still holds is not doubled for nothing. `OUTBOX_RESEND_AFTER_SECONDS` overrides it.
 */
export const DEFAULT_RESEND_AFTER_SECONDS = 300;

/**
 * Each further re-send of the same event waits twice as long, up to this: an event a subscriber
 * keeps rejecting (a bug, not an outage) is tried again about once an hour, not every sweep.
 */
export const MAX_RESEND_INTERVAL_SECONDS = 3600;

/** The resend window from a worker's var: a number of seconds (0 or more), else the default. */
export function resendAfterSeconds(value: string | undefined): number {
  const seconds = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(seconds) && seconds >= 0
    ? seconds
    : DEFAULT_RESEND_AFTER_SECONDS;
}

export interface ResendOptions extends RelayOptions {
  /** The first re-send waits this long after the send; the n-th waits 2^(n−1) times as long. */
  readonly afterSeconds: number;
}

/**
 * Sends again the events that reached the Queue but that the router never confirmed as applied
 * by every subscriber, oldest first: the Queue dropped the message (every retry and the
 * dead-letter queue's spent while the database was down) or the confirmation was lost. Consumers
 * dedupe on the event id, so a re-send of an event that was in fact applied changes nothing; it is
 * confirmed and stops. Each re-send bumps `queued_at` and the send count, which spaces the next one out.
 */
export async function resendUnconfirmed<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
  { afterSeconds, batchSize = 100, maxBatches = 10 }: ResendOptions,
): Promise<number> {
  const cap = Math.max(afterSeconds, MAX_RESEND_INTERVAL_SECONDS);
  // The wait doubles with each send already made (the exponent is clamped so it never overflows).
  const due = sql`${outbox.queuedAt} < now() - make_interval(secs => least(${cap}::double precision,
    ${afterSeconds}::double precision * power(2, least(greatest(${outbox.queueSends} - 1, 0), 30))))`;
  return sendClaimedRows(db, outbox, queue, {
    where: and(sql`${outbox.queuedAt} is not null`, isNull(outbox.confirmedAt), due),
    order: asc(outbox.queuedAt),
    batchSize,
    maxBatches,
  });
}

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The router's word that every subscriber applied these events (or had them, or ignores them):
 * they are never re-sent. Ids of other outboxes, or already confirmed, are skipped. Returns how
 * many rows it confirmed.
 */
export async function confirmOutboxEvents<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  eventIds: readonly string[],
): Promise<number> {
  // Something that is not an event id cannot be in the outbox; left in, it would fail the whole statement.
  const ids = eventIds.filter((id) => EVENT_ID.test(id));
  if (ids.length === 0) return 0;
  const confirmed = await db
    .update(outbox)
    .set({ confirmedAt: sql`now()` })
    .where(and(inArray(outbox.id, ids), isNull(outbox.confirmedAt)))
    .returning({ seq: outbox.seq });
  return confirmed.length;
}

/** Every worker with an outbox has the `platform-events` Queue as a producer binding. */
export interface EventsQueueBindings {
  readonly EVENTS_QUEUE: QueueProducer;
  /** Seconds a queued event may stay unconfirmed before the sweep re-sends it (default 300). */
  readonly OUTBOX_RESEND_AFTER_SECONDS?: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Pauses before looking again for rows another transaction held (the Kafka bridge's batch). */
const HELD_ROW_RETRY_MS = [200, 400, 800, 1600, 3200];

async function hasUnqueuedRows<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
): Promise<boolean> {
  const rows = await db.select({ seq: outbox.seq }).from(outbox).where(isNull(outbox.queuedAt)).limit(1);
  return rows.length > 0;
}

/**
 * The fast path's relay. The Kafka bridge claims the same rows (`FOR UPDATE SKIP LOCKED`, woken
 * by the insert's NOTIFY), so a new row is often locked by it at the very moment this runs and
 * gets skipped; rather than leave it for the next sweep (a minute), look again a few times as the
 * bridge's batch commits (≈ 6 s in all, well inside `waitUntil`). Whatever is still left is the sweep's.
 */
export async function relayNow<TSchema extends SchemaModule>(
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
): Promise<number> {
  let relayed = await relayOutboxToQueue(db, outbox, queue, { maxBatches: 2 });
  for (const pause of HELD_ROW_RETRY_MS) {
    if (!(await hasUnqueuedRows(db, outbox))) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    relayed += await relayOutboxToQueue(db, outbox, queue, { maxBatches: 2 });
  }
  return relayed;
}

/** The fast path's relay, whose failure loses nothing (the sweep sends the rows later): logged, never thrown. */
async function relayLogged<TSchema extends SchemaModule>(
  service: string,
  db: DatabaseOf<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
  correlationId?: string,
) {
  try {
    await relayNow(db, outbox, queue);
  } catch (error) {
    logLine("warn", service, "outbox relay failed; the sweep will retry", { error: errorText(error), correlationId });
  }
}

/**
 * The fast path after HTTP: once a request that may have written events has answered, relay this
 * service's unqueued outbox rows to the Queue, with the request's pool still open.
 */
export function relayAfterWrites<TSchema extends SchemaModule>(service: string, outbox: Outbox) {
  return async (c: Context, database: DatabaseHandle<TSchema>): Promise<void> => {
    if (SAFE_METHODS.has(c.req.method)) return;
    const queue = (c.env as Partial<EventsQueueBindings>).EVENTS_QUEUE;
    if (!queue) return;
    await relayLogged(service, database.db, outbox, queue, c.get("correlationId"));
  };
}

/**
 * The same after RPC work (which has no middleware): relays what the work may have written, then
 * closes its pool. Hand the promise to `waitUntil`.
 */
export async function relayThenClose<TSchema extends SchemaModule>(
  service: string,
  database: DatabaseHandle<TSchema>,
  outbox: Outbox,
  queue: QueueProducer,
  { writesEvents }: { writesEvents: boolean },
): Promise<void> {
  if (writesEvents) await relayLogged(service, database.db, outbox, queue);
  await database.close();
}

/**
 * The sweep: one service's whole backlog (bounded), on its own pool, then the re-sends of what
 * was queued but never confirmed (bounded too). Called by the cron through RPC; returns how many
 * rows it handed to the Queue in all.
 */
export async function relayPendingEvents<TSchema extends SchemaModule>(
  bindings: DatabaseBindings & EventsQueueBindings,
  schema: TSchema,
  outbox: Outbox,
  queue: QueueProducer,
): Promise<number> {
  const database = openDatabase(bindings, schema);
  try {
    const relayed = await relayOutboxToQueue(database.db, outbox, queue, { maxBatches: 50 });
    const afterSeconds = resendAfterSeconds(bindings.OUTBOX_RESEND_AFTER_SECONDS);
    return relayed + (await resendUnconfirmed(database.db, outbox, queue, { afterSeconds, maxBatches: 10 }));
  } finally {
    await database.close();
  }
}
