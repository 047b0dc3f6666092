import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS, openDatabase } from "@platform/db";
import { databaseBindings } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import {
  DEFAULT_DELIVERY_RETENTION_DAYS,
  deliveryRetentionDays,
  pruneDeliveries,
} from "../src/retention/delivery-retention.ts";

/**
 * Issue 17: the delivery log grew without bound, each row holding a recipient's address and the
 * rendered message. The hourly retention chore now deletes sent and failed deliveries written more
 * than DELIVERY_RETENTION_DAYS ago, never a pending one (the retry queue's work), bounded per run.
 * Against the real notifications.deliveries, which other files write too: only fresh rows of theirs,
 * which no run here touches.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;
afterAll(async () => {
  await database.close();
  await pool.end();
});

type Status = "pending" | "sent" | "failed";

/** Deliveries written `ageDays` ago with a status; answers their ids, oldest first. */
async function deliveriesOf(...states: { ageDays: number; status: Status }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const state of states) {
    const id = uuidv7();
    await pool.query(
      `insert into notifications.deliveries
         (id, user_id, channel, category, template, locale, recipient, payload, status, dedupe_key, created_at, sent_at)
       values ($1, $2, 'email', 'learning', 'lesson-completed', 'en', $3, '{}', $4::notifications.delivery_status, $5,
               now() - make_interval(secs => $6::double precision),
               case when $4::text = 'sent' then now() - make_interval(secs => $6::double precision) end)`,
      [id, uuidv7(), `kept-or-not-${id}@example.test`, state.status, `retention-${id}`, state.ageDays * 86_400],
    );
    ids.push(id);
  }
  return ids;
}

async function remaining(ids: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    "select id from notifications.deliveries where id = any($1::uuid[]) order by id",
    [ids],
  );
  return rows.map((row) => row.id);
}

describe("pruning the delivery log", () => {
  it("happy path: a sent or failed delivery older than the retention goes; younger ones stay", async () => {
    const old = await deliveriesOf({ ageDays: 91, status: "sent" }, { ageDays: 120, status: "failed" });
    const young = await deliveriesOf({ ageDays: 89, status: "sent" }, { ageDays: 0, status: "failed" });
    expect(await pruneDeliveries(db, { retentionDays: 90 })).toBeGreaterThanOrEqual(2);
    expect(await remaining(old)).toEqual([]);
    expect(await remaining(young)).toEqual(young);
  });

  it("never deletes a pending delivery, however old: it is the retry queue's work, not history", async () => {
    const pending = await deliveriesOf({ ageDays: 400, status: "pending" });
    expect(await pruneDeliveries(db, { retentionDays: 90 })).toBeGreaterThanOrEqual(0);
    expect(await remaining(pending)).toEqual(pending);
    await pool.query("delete from notifications.deliveries where id = any($1::uuid[])", [pending]);
  });

  it("is bounded per run: batches of batchSize, at most maxBatches; the rest goes on the next run, oldest first", async () => {
    const ids = await deliveriesOf(...Array.from({ length: 7 }, () => ({ ageDays: 500, status: "sent" as const })));
    expect(await pruneDeliveries(db, { retentionDays: 450, batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await remaining(ids)).toEqual(ids.slice(4));
    expect(await pruneDeliveries(db, { retentionDays: 450, batchSize: 2, maxBatches: 2 })).toBe(3);
    expect(await remaining(ids)).toEqual([]);
  });

  it("reads the retention from DELIVERY_RETENTION_DAYS, 90 days unless it is a number of days", () => {
    expect(DEFAULT_DELIVERY_RETENTION_DAYS).toBe(90);
    expect(deliveryRetentionDays({})).toBe(90);
    expect(deliveryRetentionDays({ DELIVERY_RETENTION_DAYS: "30" })).toBe(30);
    expect(deliveryRetentionDays({ DELIVERY_RETENTION_DAYS: "" })).toBe(90);
    expect(deliveryRetentionDays({ DELIVERY_RETENTION_DAYS: "a quarter" })).toBe(90);
    expect(deliveryRetentionDays({ DELIVERY_RETENTION_DAYS: "-1" })).toBe(90);
  });

  it("the deployed worker keeps the log 90 days, longer than its consumers' dedupe window", async () => {
    const { readFile } = await import("node:fs/promises");
    const config = await readFile(new URL("../wrangler.toml", import.meta.url), "utf8");
    expect(config).toMatch(/^DELIVERY_RETENTION_DAYS = "90"$/m);
    expect(DEFAULT_DELIVERY_RETENTION_DAYS).toBeGreaterThanOrEqual(DEFAULT_PROCESSED_EVENTS_RETENTION_DAYS);
  });
});
