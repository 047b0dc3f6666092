import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { pgSchema, text, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildEvent, recordEvent } from "@platform/events";
import { consumeOnce, outboxTable, processedEventsTable } from "../src/index.ts";

/**
 * The two halves of "exactly once in effect" against real PostgreSQL: the outbox commits or rolls
 * back with the change, and a consumer applies an event at most once even when it arrives twice
 * at the same moment.
 */
const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 8 });
const db = drizzle({ client: pool });

const scratch = pgSchema("dedupe_test");
const processed = processedEventsTable(scratch);
const effects = scratch.table("effects", { id: uuid("id").primaryKey(), note: text("note").notNull() });
const coursesOutbox = outboxTable(pgSchema("courses"));

beforeAll(async () => {
  await pool.query(`
    drop schema if exists dedupe_test cascade;
    create schema dedupe_test;
    create table dedupe_test.processed_events (event_id uuid primary key, type text not null, correlation_id text, processed_at timestamptz not null default now());
    create table dedupe_test.effects (id uuid primary key, note text not null);
  `);
});
afterAll(async () => {
  await pool.query("drop schema if exists dedupe_test cascade");
  await pool.end();
});

const context = { source: "tests", correlationId: "dedupe-test" };
const courseEvent = () =>
  buildEvent(
    "COURSE_CREATED",
    { courseId: crypto.randomUUID(), authorId: crypto.randomUUID(), title: "Rolled back", slug: "rolled-back" },
    context,
  );

describe("the outbox shares the change's transaction", () => {
  it("a failing statement after the event was written leaves no event", async () => {
    const writtenIds: string[] = [];
    await expect(
      db.transaction(async (tx) => {
        writtenIds.push((await recordEvent(tx, coursesOutbox, "COURSE_CREATED", courseEvent().data, context)).id);
        await tx.execute("select 1 / 0");
      }),
    ).rejects.toThrow(/select 1 \/ 0/);
    expect(writtenIds).toHaveLength(1);
    const { rows } = await pool.query("select 1 from courses.outbox where id = any($1)", [writtenIds]);
    expect(rows).toEqual([]);
  });

  it("a committed one is there, once", async () => {
    const written = await db.transaction((tx) =>
      recordEvent(tx, coursesOutbox, "COURSE_CREATED", courseEvent().data, context),
    );
    const { rows } = await pool.query("select type, topic, aggregate_id from courses.outbox where id = $1", [
      written.id,
    ]);
    expect(rows).toEqual([{ type: "COURSE_CREATED", topic: "course-events", aggregate_id: written.data.courseId }]);
  });
});

describe("consumeOnce", () => {
  const applyNote = (event: ReturnType<typeof courseEvent>) =>
    consumeOnce(db, processed, event, async (tx) => {
      await tx.insert(effects).values({ id: crypto.randomUUID(), note: event.id });
    });

  it("applies an event delivered five times at once exactly once", async () => {
    const event = courseEvent();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => applyNote(event)));
    expect(outcomes.filter((outcome) => outcome === "applied")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "duplicate")).toHaveLength(4);
    const { rows } = await pool.query("select count(*)::int as n from dedupe_test.effects where note = $1", [event.id]);
    expect(rows[0].n).toBe(1);
  });

  it("an effect that fails leaves no mark, so the retry applies it", async () => {
    const event = courseEvent();
    await expect(
      consumeOnce(db, processed, event, async () => {
        throw new Error("the effect's dependency died");
      }),
    ).rejects.toThrow("dependency died");
    const marks = await pool.query("select 1 from dedupe_test.processed_events where event_id = $1", [event.id]);
    expect(marks.rows).toEqual([]);
    expect(await applyNote(event)).toBe("applied");
    const after = await pool.query("select correlation_id from dedupe_test.processed_events where event_id = $1", [
      event.id,
    ]);
    expect(after.rows).toEqual([{ correlation_id: "dedupe-test" }]);
  });
});
