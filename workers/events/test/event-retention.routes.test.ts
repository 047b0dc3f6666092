import { pgSchema } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  kafkaBridgeEnabled,
  openDatabase,
  outboxTable,
  processedEventsTable,
  pruneOutbox,
  pruneProcessedEvents,
  retentionDays,
} from "@platform/db";
import { buildEvent, outboxRowOf } from "@platform/events";
import { createScratchEventTables, scratchSchemaName } from "../../../test/support/scratch-event-tables.ts";
import { databaseBindings } from "../../../test/support/in-process.ts";

/**
 * Which outbox rows and dedupe marks the retention chore deletes, against real PostgreSQL: only
 * what is confirmed, published to Kafka (when the bridge is in use) and old; bounded per run.
 * A schema of its own, so no other file's rows are in the way.
 */
const SCHEMA = scratchSchemaName("retention");
const schema = {
  outbox: outboxTable(pgSchema(SCHEMA)),
  processedEvents: processedEventsTable(pgSchema(SCHEMA)),
};
const { outbox, processedEvents } = schema;
const admin = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;

beforeAll(() => createScratchEventTables(admin, SCHEMA));

afterAll(async () => {
  await database.close();
  await admin.query(`drop schema ${SCHEMA} cascade`);
  await admin.end();
});

interface RowState {
  readonly ageDays: number;
  readonly confirmed: boolean;
  readonly published: boolean;
}

/** Writes one outbox row per state: written `ageDays` ago, confirmed and published or not. */
async function rows(...states: RowState[]): Promise<string[]> {
  const ids: string[] = [];
  for (const state of states) {
    const event = buildEvent(
      "USER_CREATED",
      { userId: crypto.randomUUID(), email: "kept-or-not@example.test", name: "Retained", roles: ["learner"] },
      { source: "auth", correlationId: "retention-test" },
    );
    const row = outboxRowOf(event);
    const created = `now() - make_interval(secs => ${state.ageDays * 86_400})`;
    await admin.query(
      `insert into ${SCHEMA}.outbox (id, type, topic, aggregate_id, envelope, created_at, queued_at, queue_sends,
         confirmed_at, kafka_published_at)
       values ($1, $2, $3, $4, $5, ${created}, ${created}, 1,
         ${state.confirmed ? created : "null"}, ${state.published ? created : "null"})`,
      [row.id, row.type, row.topic, row.aggregateId, JSON.stringify(row.envelope)],
    );
    ids.push(event.id);
  }
  return ids;
}

async function remaining(ids: readonly string[]): Promise<string[]> {
  const { rows: left } = await admin.query<{ id: string }>(
    `select id from ${SCHEMA}.outbox where id = any($1::uuid[]) order by seq`,
    [ids],
  );
  return left.map((row) => row.id);
}

describe("pruning the outbox", () => {
  it("happy path: an old row that is confirmed and published goes; the rest of the table stays", async () => {
    const [old = "", young = ""] = await rows(
      { ageDays: 8, confirmed: true, published: true },
      { ageDays: 1, confirmed: true, published: true },
    );
    expect(await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: true })).toBe(1);
    expect(await remaining([old, young])).toEqual([young]);
  });

  it("never deletes an unconfirmed row, however old: it is the only copy of an event not yet applied everywhere", async () => {
    const ids = await rows(
      { ageDays: 365, confirmed: false, published: true },
      { ageDays: 365, confirmed: false, published: false },
    );
    await pruneOutbox(db, outbox, { retentionDays: 0, requireKafkaPublished: false });
    await pruneOutbox(db, outbox, { retentionDays: 0, requireKafkaPublished: true });
    expect(await remaining(ids)).toEqual(ids);
  });

  it("keeps a confirmed row the Kafka bridge has not published while the bridge is in use; deletes it when it is not", async () => {
    const [unpublished = ""] = await rows({ ageDays: 30, confirmed: true, published: false });
    await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: true });
    expect(await remaining([unpublished])).toEqual([unpublished]);

    await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: false });
    expect(await remaining([unpublished])).toEqual([]);
  });

  it("keeps delivered rows younger than the retention", async () => {
    const ids = await rows(
      { ageDays: 6.9, confirmed: true, published: true },
      { ageDays: 0, confirmed: true, published: true },
    );
    await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: false });
    expect(await remaining(ids)).toEqual(ids);
  });

  it("is bounded per run: batches of batchSize, at most maxBatches; the rest goes on the next run, oldest first", async () => {
    const ids = await rows(...Array.from({ length: 7 }, () => ({ ageDays: 10, confirmed: true, published: true })));
    expect(
      await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: true, batchSize: 2, maxBatches: 2 }),
    ).toBe(4);
    expect(await remaining(ids)).toEqual(ids.slice(4));
    expect(
      await pruneOutbox(db, outbox, { retentionDays: 7, requireKafkaPublished: true, batchSize: 2, maxBatches: 2 }),
    ).toBe(3);
    expect(await remaining(ids)).toEqual([]);
  });

  it("reads the retention and the Kafka switch from the worker's vars, with safe defaults", () => {
    expect(retentionDays("3", 7)).toBe(3);
    expect(retentionDays("0", 7)).toBe(0);
    expect(retentionDays(undefined, 7)).toBe(7);
    expect(retentionDays("", 7)).toBe(7);
    expect(retentionDays("a week", 7)).toBe(7);
    expect(retentionDays("-1", 7)).toBe(7);
    expect(kafkaBridgeEnabled(undefined)).toBe(true);
    expect(kafkaBridgeEnabled("true")).toBe(true);
    expect(kafkaBridgeEnabled("flase")).toBe(true);
    expect(kafkaBridgeEnabled("false")).toBe(false);
    expect(kafkaBridgeEnabled(" FALSE ")).toBe(false);
  });
});

describe("pruning processed_events", () => {
  it("deletes dedupe marks older than the window, keeps younger ones, bounded per run", async () => {
    const mark = async (ageDays: number) => {
      const id = crypto.randomUUID();
      await admin.query(
        `insert into ${SCHEMA}.processed_events (event_id, type, processed_at)
         values ($1, 'USER_CREATED', now() - make_interval(secs => ${ageDays * 86_400}))`,
        [id],
      );
      return id;
    };
    const old = [await mark(31), await mark(40), await mark(90)];
    const young = [await mark(29), await mark(0)];
    expect(await pruneProcessedEvents(db, processedEvents, { retentionDays: 30, batchSize: 2, maxBatches: 1 })).toBe(2);
    expect(await pruneProcessedEvents(db, processedEvents, { retentionDays: 30, batchSize: 2, maxBatches: 1 })).toBe(1);
    const { rows: left } = await admin.query<{ event_id: string }>(
      `select event_id from ${SCHEMA}.processed_events where event_id = any($1::uuid[])`,
      [[...old, ...young]],
    );
    expect(left.map((row) => row.event_id).sort()).toEqual([...young].sort());
  });
});
