import { asc, inArray, isNull, sql } from "drizzle-orm";
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
  let relayed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const sent = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ seq: outbox.seq, envelope: outbox.envelope })
        .from(outbox)
        .where(isNull(outbox.queuedAt))
        .orderBy(asc(outbox.seq))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      for (const chunk of chunksUnderLimit(rows)) {
        await queue.sendBatch(chunk.map((row) => ({ body: row.envelope, contentType: "json" as const })));
      }
      if (rows.length > 0) {
        await tx
          .update(outbox)
          .set({ queuedAt: sql`now()` })
          .where(
            inArray(
              outbox.seq,
              rows.map((row) => row.seq),
            ),
          );
      }
      return rows.length;
    });
    relayed += sent;
    if (sent < batchSize) break;
  }
  return relayed;
}

/** Every worker with an outbox has the `platform-events` Queue as a producer binding. */
export interface EventsQueueBindings {
  readonly EVENTS_QUEUE: QueueProducer;
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

/** The sweep: one service's whole backlog (bounded), on its own pool. Called by the cron through RPC. */
export async function relayPendingEvents<TSchema extends SchemaModule>(
  bindings: DatabaseBindings,
  schema: TSchema,
  outbox: Outbox,
  queue: QueueProducer,
): Promise<number> {
  const database = openDatabase(bindings, schema);
  try {
    return await relayOutboxToQueue(database.db, outbox, queue, { maxBatches: 50 });
  } finally {
    await database.close();
  }
}
