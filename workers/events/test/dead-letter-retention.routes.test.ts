import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { databaseBindings } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import {
  DEFAULT_DEAD_LETTER_RETENTION_DAYS,
  deadLetterRetentionDays,
  pruneDeadLetters,
} from "../src/dead-letter-retention.ts";

/**
 * Issue 15: dead letters were never pruned, and a dead USER_CREATED kept its email for good. The
 * hourly retention chore now deletes every dead letter received more than DEAD_LETTER_RETENTION_DAYS
 * ago, replayed or not (docs/events.md#dead-letters says why), bounded per run. Against the real
 * events.dead_letters, which other files write too: only fresh rows of theirs, which no run here touches.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;
afterAll(async () => {
  await database.close();
  await pool.end();
});

interface LetterState {
  readonly ageDays: number;
  /** Days ago it was replayed, if it was. */
  readonly replayedDaysAgo?: number;
}

/** Dead letters of a USER_CREATED with an email, received `ageDays` ago; answers their ids, oldest first. */
async function letters(...states: LetterState[]): Promise<string[]> {
  const ids: string[] = [];
  for (const state of states) {
    const id = uuidv7();
    const ago = (days: number) => `now() - make_interval(secs => ${days * 86_400})`;
    await pool.query(
      `insert into events.dead_letters (id, message_id, event_id, event_type, body, attempts, received_at, replayed_at)
       values ($1, $2, $3, 'USER_CREATED', $4, 5, ${ago(state.ageDays)},
         ${state.replayedDaysAgo === undefined ? "null" : ago(state.replayedDaysAgo)})`,
      [id, `message-${id}`, uuidv7(), JSON.stringify({ data: { email: `kept-or-not-${id}@example.test` } })],
    );
    ids.push(id);
  }
  return ids;
}

async function remaining(ids: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    "select id from events.dead_letters where id = any($1::uuid[]) order by id",
    [ids],
  );
  return rows.map((row) => row.id);
}

describe("pruning dead letters", () => {
  it("happy path: a dead letter received longer ago than the retention goes, replayed or not; younger ones stay", async () => {
    const [unreplayed = "", replayed = "", replayedLately = ""] = await letters(
      { ageDays: 31 },
      { ageDays: 45, replayedDaysAgo: 40 },
      // Replaying does not extend its life: an old body replayed again could pass the subscribers' dedupe window.
      { ageDays: 31, replayedDaysAgo: 1 },
    );
    const young = await letters({ ageDays: 29 }, { ageDays: 1, replayedDaysAgo: 0.5 }, { ageDays: 0 });
    expect(await pruneDeadLetters(db, { retentionDays: 30 })).toBeGreaterThanOrEqual(3);
    expect(await remaining([unreplayed, replayed, replayedLately])).toEqual([]);
    expect(await remaining(young)).toEqual(young);
  });

  it("is bounded per run: batches of batchSize, at most maxBatches; the rest goes on the next run, oldest first", async () => {
    const ids = await letters(...Array.from({ length: 7 }, () => ({ ageDays: 400 })));
    expect(await pruneDeadLetters(db, { retentionDays: 300, batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await remaining(ids)).toEqual(ids.slice(4));
    expect(await pruneDeadLetters(db, { retentionDays: 300, batchSize: 2, maxBatches: 2 })).toBe(3);
    expect(await remaining(ids)).toEqual([]);
  });

  it("reads the retention from DEAD_LETTER_RETENTION_DAYS, 30 days unless it is a number of days", () => {
    expect(DEFAULT_DEAD_LETTER_RETENTION_DAYS).toBe(30);
    expect(deadLetterRetentionDays({})).toBe(30);
    expect(deadLetterRetentionDays({ DEAD_LETTER_RETENTION_DAYS: "7" })).toBe(7);
    expect(deadLetterRetentionDays({ DEAD_LETTER_RETENTION_DAYS: "" })).toBe(30);
    expect(deadLetterRetentionDays({ DEAD_LETTER_RETENTION_DAYS: "a month" })).toBe(30);
    expect(deadLetterRetentionDays({ DEAD_LETTER_RETENTION_DAYS: "-1" })).toBe(30);
  });

  it("the deployed worker keeps them the default 30 days, no longer than its consumers' dedupe window", async () => {
    const { readFile } = await import("node:fs/promises");
    const config = await readFile(new URL("../wrangler.toml", import.meta.url), "utf8");
    expect(config).toMatch(/^DEAD_LETTER_RETENTION_DAYS = "30"$/m);
    const { DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS } = await import("@platform/db");
    expect(DEFAULT_DEAD_LETTER_RETENTION_DAYS).toBeLessThanOrEqual(DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS);
  });
});
