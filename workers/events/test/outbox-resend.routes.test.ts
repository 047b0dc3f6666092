import { pgSchema } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  MAX_RESEND_INTERVAL_SECONDS,
  confirmOutboxEvents,
  openDatabase,
  outboxTable,
  relayOutboxToQueue,
  resendAfterSeconds,
  resendUnconfirmed,
} from "@platform/db";
import { buildEvent, outboxRowOf } from "@platform/events";
import { createScratchEventTables, scratchSchemaName } from "../../../test/support/scratch-event-tables.ts";
import { databaseBindings, recordingQueue } from "../../../test/support/in-process.ts";

/**
 * The producer's half of end-to-end delivery, against real PostgreSQL: which queued events the
 * sweep sends again (not confirmed, due after the window, spaced out per send) and the router's
 * confirmation that stops them. A schema of its own, so no other file's rows are in the way.
 */
const SCHEMA = scratchSchemaName("resend");
const schema = { outbox: outboxTable(pgSchema(SCHEMA)) };
const { outbox } = schema;
const admin = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;

beforeAll(() => createScratchEventTables(admin, SCHEMA));

afterAll(async () => {
  await database.close();
  await admin.query(`drop schema ${SCHEMA} cascade`);
  await admin.end();
});

async function written(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const event = buildEvent(
      "USER_CREATED",
      { userId: crypto.randomUUID(), email: `resend-${index}@example.test`, name: "Resent", roles: ["learner"] },
      { source: "auth", correlationId: "resend-test" },
    );
    const row = outboxRowOf(event);
    await admin.query(
      `insert into ${SCHEMA}.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)`,
      [row.id, row.type, row.topic, row.aggregateId, JSON.stringify(row.envelope)],
    );
    ids.push(event.id);
  }
  return ids;
}

/** Moves the last send of these rows into the past, as if the Queue had held them that long. */
async function queuedSecondsAgo(ids: readonly string[], seconds: number) {
  await admin.query(
    `update ${SCHEMA}.outbox set queued_at = now() - make_interval(secs => $2) where id = any($1::uuid[])`,
    [ids, seconds],
  );
}

async function rowsOf(ids: readonly string[]) {
  const { rows } = await admin.query<{ id: string; queue_sends: number; confirmed_at: Date | null; age: number }>(
    `select id, queue_sends, confirmed_at, extract(epoch from now() - queued_at)::float as age
       from ${SCHEMA}.outbox where id = any($1::uuid[]) order by seq`,
    [ids],
  );
  return rows;
}

const idsSent = (queue: ReturnType<typeof recordingQueue>) => queue.sent.map((body) => (body as { id: string }).id);

describe("re-sending what was queued and never confirmed", () => {
  it("happy path: sent once, unconfirmed past the window, sent again with its send time and count bumped", async () => {
    const ids = await written(3);
    const first = recordingQueue();
    expect(await relayOutboxToQueue(db, outbox, first)).toBe(3);
    expect((await rowsOf(ids)).map((row) => row.queue_sends)).toEqual([1, 1, 1]);

    const early = recordingQueue();
    expect(await resendUnconfirmed(db, outbox, early, { afterSeconds: 60 })).toBe(0);

    await queuedSecondsAgo(ids, 61);
    const again = recordingQueue();
    expect(await resendUnconfirmed(db, outbox, again, { afterSeconds: 60 })).toBe(3);
    expect(idsSent(again)).toEqual(ids);
    const rows = await rowsOf(ids);
    expect(rows.map((row) => row.queue_sends)).toEqual([2, 2, 2]);
    expect(rows.every((row) => row.age < 5)).toBe(true);
    // Bumped: the very next sweep leaves them alone.
    expect(await resendUnconfirmed(db, outbox, recordingQueue(), { afterSeconds: 60 })).toBe(0);
  });

  it("spaces the re-sends of an event that keeps failing: the n-th waits 2^(n−1) windows, capped at an hour", async () => {
    const [id = ""] = await written(1);
    await relayOutboxToQueue(db, outbox, recordingQueue());
    await admin.query(`update ${SCHEMA}.outbox set queue_sends = 3 where id = $1`, [id]);
    // Third send made: the next waits 4 windows.
    await queuedSecondsAgo([id], 230);
    expect(await resendUnconfirmed(db, outbox, recordingQueue(), { afterSeconds: 60 })).toBe(0);
    await queuedSecondsAgo([id], 241);
    expect(await resendUnconfirmed(db, outbox, recordingQueue(), { afterSeconds: 60 })).toBe(1);

    await admin.query(`update ${SCHEMA}.outbox set queue_sends = 40 where id = $1`, [id]);
    await queuedSecondsAgo([id], MAX_RESEND_INTERVAL_SECONDS + 1);
    expect(await resendUnconfirmed(db, outbox, recordingQueue(), { afterSeconds: 60 })).toBe(1);
  });

  it("a confirmed event is never sent again; confirming is idempotent and skips ids this outbox does not hold", async () => {
    const ids = await written(2);
    await relayOutboxToQueue(db, outbox, recordingQueue());
    const [confirmedId = "", unconfirmedId = ""] = ids;
    expect(await confirmOutboxEvents(db, outbox, [confirmedId, crypto.randomUUID()])).toBe(1);
    expect(await confirmOutboxEvents(db, outbox, [confirmedId])).toBe(0);
    expect(await confirmOutboxEvents(db, outbox, [])).toBe(0);
    expect(await confirmOutboxEvents(db, outbox, ["not-an-id", unconfirmedId.toUpperCase().slice(1)])).toBe(0);

    await queuedSecondsAgo(ids, 3600 * 24);
    const queue = recordingQueue();
    await resendUnconfirmed(db, outbox, queue, { afterSeconds: 60 });
    expect(idsSent(queue)).toContain(unconfirmedId);
    expect(idsSent(queue)).not.toContain(confirmedId);
    expect((await rowsOf([confirmedId]))[0]?.confirmed_at).toBeInstanceOf(Date);
  });

  it("never re-sends a row the relay has not sent yet (that is the relay's), and stays bounded per run", async () => {
    const [unsent = ""] = await written(1);
    await admin.query(`update ${SCHEMA}.outbox set created_at = now() - interval '1 day' where id = $1`, [unsent]);
    const queue = recordingQueue();
    await resendUnconfirmed(db, outbox, queue, { afterSeconds: 0 });
    expect(idsSent(queue)).not.toContain(unsent);

    const many = await written(7);
    await relayOutboxToQueue(db, outbox, recordingQueue());
    await queuedSecondsAgo(many, 3600 * 48);
    const bounded = recordingQueue();
    expect(await resendUnconfirmed(db, outbox, bounded, { afterSeconds: 60, batchSize: 2, maxBatches: 2 })).toBe(4);
    // Oldest first, so a backlog drains in order across runs.
    expect(idsSent(bounded)).toHaveLength(4);
  });

  it("reads the window from the worker's var, falling back to five minutes", () => {
    expect(resendAfterSeconds("10")).toBe(10);
    expect(resendAfterSeconds("0")).toBe(0);
    expect(resendAfterSeconds(undefined)).toBe(300);
    expect(resendAfterSeconds("")).toBe(300);
    expect(resendAfterSeconds("soon")).toBe(300);
    expect(resendAfterSeconds("-5")).toBe(300);
  });
});
