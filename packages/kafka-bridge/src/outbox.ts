import type pg from "pg";

/** One outbox row as it goes to Kafka. */
export interface OutboxEvent {
  readonly seq: string;
  readonly id: string;
  readonly type: string;
  readonly topic: string;
  readonly aggregateId: string;
  /** The envelope as PostgreSQL stores it (jsonb's text form); the message value is its public form (public-value.ts). */
  readonly value: string;
  readonly correlationId: string | null;
  /** The envelope's `metadata.traceparent`, as stored (the relay checks it before it becomes a header). */
  readonly traceparent?: string | null;
}

export type BatchResult =
  /** These rows were produced, acknowledged and marked published. */
  | { readonly kind: "relayed"; readonly events: readonly OutboxEvent[] }
  /** Nothing unpublished. */
  | { readonly kind: "empty" }
  /** Another bridge holds this schema's lock right now. */
  | { readonly kind: "standby" }
  /** The oldest unpublished rows are locked by another transaction (the Queue relay): try again shortly. */
  | { readonly kind: "blocked" };

/** The outbox table is not there (yet): the schema's migrations have not created it. */
export class OutboxMissingError extends Error {
  constructor(schema: string, cause: unknown) {
    super(`The schema "${schema}" has no outbox table.`, { cause });
    this.name = "OutboxMissingError";
  }
}

/** Kafka failed (producing, or creating a topic), not PostgreSQL. Any claim was rolled back. */
export class PublishError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "PublishError";
  }
}

const UNDEFINED_TABLE = "42P01";
const INVALID_SCHEMA_NAME = "3F000";
/** Both keys of the per-schema leader lock; the first is the same for every bridge. */
const LOCK_NAMESPACE = "platform-kafka-bridge";

/** Messages per produce request within a batch. */
const PUBLISH_CHUNK = 250;

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

interface Row {
  /** bigint: node-postgres hands it over as a decimal string, exactly. */
  seq: string;
  id: string;
  type: string;
  topic: string;
  aggregate_id: string;
  value: string;
  correlation_id: string | null;
  traceparent: string | null;
}

const eventOf = (row: Row): OutboxEvent => ({
  seq: row.seq,
  id: row.id,
  type: row.type,
  topic: row.topic,
  aggregateId: row.aggregate_id,
  value: row.value,
  correlationId: row.correlation_id,
  traceparent: row.traceparent,
});

/**
 * Relays one batch of a schema's outbox in one transaction: take the schema's leader lock, claim
 * the oldest unpublished rows (`FOR UPDATE SKIP LOCKED`), hand them to `publish` (which resolves
 * once Kafka has acknowledged them), mark them published and commit. A crash anywhere before the
 * commit rolls the claim back: the rows go again (at least once), never missing.
 *
 * Order: the lock is a transaction-level advisory lock, so two bridges take turns batch by batch
 * and the next batch is claimed only after the previous one is acknowledged and committed. Rows
 * that another transaction has locked (the Queue relay claims the same table) are skipped by
 * SKIP LOCKED; so that a later row is never published before such a row, the batch is cut at the
 * first skipped row.
 */
export async function relayBatch(
  client: pg.ClientBase,
  schema: string,
  limit: number,
  publish: (events: readonly OutboxEvent[]) => Promise<void>,
): Promise<BatchResult> {
  const table = `${quoted(schema)}.outbox`;
  await client.query("BEGIN");
  try {
    const lock = await client.query<{ leader: boolean }>(
      "SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS leader",
      [LOCK_NAMESPACE, schema],
    );
    if (!lock.rows[0]?.leader) {
      await client.query("ROLLBACK");
      return { kind: "standby" };
    }
    const claimed = await client.query<Row>(
      `SELECT seq, id, type, topic, aggregate_id, envelope::text AS value,
              envelope->'metadata'->>'correlationId' AS correlation_id,
              envelope->'metadata'->>'traceparent' AS traceparent
         FROM ${table}
        WHERE kafka_published_at IS NULL
        ORDER BY seq
        LIMIT $1
          FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const seqs = claimed.rows.map((row) => row.seq);
    const skipped = await client.query<{ seq: string }>(
      `SELECT seq FROM ${table}
        WHERE kafka_published_at IS NULL
          AND ($1::bigint IS NULL OR seq < $1::bigint)
          AND seq <> ALL($2::bigint[])
        ORDER BY seq
        LIMIT 1`,
      [seqs.at(-1) ?? null, seqs],
    );
    const firstSkipped = skipped.rows[0] ? BigInt(skipped.rows[0].seq) : undefined;
    const events = claimed.rows
      .filter((row) => firstSkipped === undefined || BigInt(row.seq) < firstSkipped)
      .map(eventOf);
    if (events.length === 0) {
      await client.query("ROLLBACK");
      return firstSkipped === undefined ? { kind: "empty" } : { kind: "blocked" };
    }
    // Chunk by chunk, in order; each chunk is marked while the next one is produced, so
    // PostgreSQL's work overlaps Kafka's. Nothing is committed until every chunk is acknowledged.
    let marking: Promise<unknown> = Promise.resolve();
    for (let at = 0; at < events.length; at += PUBLISH_CHUNK) {
      const chunk = events.slice(at, at + PUBLISH_CHUNK);
      try {
        await publish(chunk);
      } catch (error) {
        await marking.catch(() => {});
        throw new PublishError(error);
      }
      marking = marking.then(() =>
        client.query(`UPDATE ${table} SET kafka_published_at = now() WHERE seq = ANY($1::bigint[])`, [
          chunk.map((event) => event.seq),
        ]),
      );
      // Awaited below; until then a failure must not count as unhandled.
      marking.catch(() => {});
    }
    await marking;
    await client.query("COMMIT");
    return { kind: "relayed", events };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const code = (error as { code?: string }).code;
    if (code === UNDEFINED_TABLE || code === INVALID_SCHEMA_NAME) throw new OutboxMissingError(schema, error);
    throw error;
  }
}

export interface Backlog {
  readonly unpublished: number;
  /** Seconds since the oldest unpublished row was written; 0 when there is none. */
  readonly oldestAgeSeconds: number;
}

/** The lag gauges: how many rows wait, and how long the oldest has waited. Uses the partial index. */
export async function backlogOf(client: pg.ClientBase, schema: string): Promise<Backlog> {
  const { rows } = await client.query<{ unpublished: string; oldest_age: number | null }>(
    `SELECT count(*)::text AS unpublished,
            extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
       FROM ${quoted(schema)}.outbox
      WHERE kafka_published_at IS NULL`,
  );
  const row = rows[0];
  return { unpublished: Number(row?.unpublished ?? 0), oldestAgeSeconds: Math.max(0, row?.oldest_age ?? 0) };
}
