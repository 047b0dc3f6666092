import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { buildEvent } from "@platform/events";
import { databaseBindings, inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { recordDeadLetter } from "../src/dead-letters.ts";
import { noteFailures } from "../src/delivery-failures.ts";
import { applyUserDeleted } from "../src/erasure.ts";

/**
 * Issue 15, "erasure that erases": the events worker's dead letters keep whole event bodies, so a
 * USER_CREATED that died kept the email and name for good. USER_DELETED now deletes every dead
 * letter about the erased person, once per event, and one that dies after the erasure is not kept.
 * Against the real events schema; the router handing USER_DELETED to itself on the running stack
 * is dead-letter-erasure.platform.test.ts.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;
afterAll(async () => {
  await database.close();
  await pool.end();
});

const queue = recordingQueue();
const events = inProcess(app, { EVENTS_QUEUE: queue });
const admin = principal("admin");

/** A person as their USER_CREATED shows them: the email and name are what must not survive erasure. */
function person(tag: string) {
  const userId = uuidv7();
  return { userId, email: `${tag}-${userId}@erasure.example`, name: `Erased ${tag} ${userId.slice(-12)}` };
}

const userCreated = (who: ReturnType<typeof person>) =>
  buildEvent(
    "USER_CREATED",
    { userId: who.userId, email: who.email, name: who.name, roles: ["learner"] },
    { source: "auth", correlationId: `erasure-${who.userId}` },
  );

const userDeleted = (userId: string) =>
  buildEvent("USER_DELETED", { userId }, { source: "auth", correlationId: `deleted-${userId}` });

/** Records a dead letter the way the dead-letter consumer does, after a subscriber's failure was noted. */
async function die(body: unknown, reason = "NOTIFICATIONS: the mail service is down") {
  const eventId = (body as { id?: string }).id;
  if (eventId) await noteFailures(db, [{ eventId, reason }]);
  return recordDeadLetter(db, { id: `message-${uuidv7()}`, body, attempts: 5 });
}

async function lettersOf(eventIds: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    "select event_id from events.dead_letters where event_id = any($1::uuid[]) order by event_id",
    [eventIds],
  );
  return rows.map((row) => row.event_id);
}

/** Every row of every table of the events schema, as text, that contains this string. */
async function rowsOfEventsSchemaContaining(needle: string): Promise<string[]> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'events' and table_type = 'BASE TABLE'",
  );
  expect(tables.map((table) => table.table_name)).toContain("dead_letters");
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    const { rows } = await pool.query<{ row: string }>(
      `select t::text as row from events."${table}" t where strpos(t::text, $1) > 0`,
      [needle],
    );
    found.push(...rows.map((row) => `${table}: ${row.row}`));
  }
  return found;
}

describe("USER_DELETED and the dead letters", () => {
  it("deletes every dead letter about the erased person, so no row of the events schema holds their email or name", async () => {
    const erased = person("erased");
    const created = userCreated(erased);
    const purchased = buildEvent(
      "COURSE_PURCHASED",
      {
        paymentId: uuidv7(),
        userId: erased.userId,
        courseId: uuidv7(),
        amountMinor: 4900,
        currency: "EUR",
        provider: "sandbox",
        providerReference: "cs_test_erasure",
        purchasedAt: new Date().toISOString(),
      },
      { source: "payments", correlationId: "erasure-purchase" },
    );
    // A malformed USER_CREATED that lost its userId: still theirs by its aggregate key, and it holds the email.
    const malformed = { ...created, id: uuidv7(), data: { email: erased.email, name: erased.name } };
    expect(await die(created)).toBe("recorded");
    expect(await die(purchased)).toBe("recorded");
    expect(await die(malformed, "not a valid platform event: data.userId is required")).toBe("recorded");
    expect(await rowsOfEventsSchemaContaining(erased.email)).toHaveLength(2);
    const [letter] = (
      await pool.query<{ id: string }>("select id from events.dead_letters where event_id = $1", [created.id])
    ).rows;

    // Someone else's dead letter, and a course event naming the erased person only as its author, stay.
    const other = userCreated(person("kept"));
    const course = buildEvent(
      "COURSE_CREATED",
      { courseId: uuidv7(), authorId: erased.userId, title: "A course that outlives its author", slug: "outlives" },
      { source: "courses", correlationId: "erasure-course" },
    );
    expect(await die(other)).toBe("recorded");
    expect(await die(course)).toBe("recorded");

    const deleted = userDeleted(erased.userId);
    expect(await applyUserDeleted(db, deleted)).toBe("applied");

    expect(await rowsOfEventsSchemaContaining(erased.email)).toEqual([]);
    expect(await rowsOfEventsSchemaContaining(erased.name)).toEqual([]);
    expect(await lettersOf([created.id, purchased.id, malformed.id])).toEqual([]);
    expect(await lettersOf([other.id, course.id])).toEqual([other.id, course.id].sort());

    // An admin can neither read nor replay it any more, so a replay cannot bring the profile back.
    const read = await events.request("GET", `/api/events/dead-letters/${letter?.id}`, { as: admin });
    expect(read.status).toBe(404);
    const replay = await events.request("POST", `/api/events/dead-letters/${letter?.id}/replay`, { as: admin });
    expect(replay.status).toBe(404);
    expect(JSON.stringify(queue.sent)).not.toContain(erased.email);
    const listed = await events.request<{ items: Array<{ eventId: string | null }> }>(
      "GET",
      "/api/events/dead-letters?limit=100",
      { as: admin },
    );
    expect(listed.body.items.map((item) => item.eventId)).not.toContain(created.id);
  });

  it("applies each USER_DELETED once: a redelivery is a duplicate and changes nothing", async () => {
    const erased = person("twice");
    const deleted = userDeleted(erased.userId);
    expect(await applyUserDeleted(db, deleted)).toBe("applied");
    expect(await applyUserDeleted(db, deleted)).toBe("duplicate");
    const { rows } = await pool.query("select type from events.processed_events where event_id = $1", [deleted.id]);
    expect(rows).toEqual([{ type: "USER_DELETED" }]);
    const tombstone = await pool.query("select * from events.erased_users where user_id = $1", [erased.userId]);
    expect(Object.keys(tombstone.rows[0] ?? {}).sort(), "the tombstone: the bare id and a time").toEqual([
      "erased_at",
      "user_id",
    ]);
  });

  it("does not keep a dead letter about an erased person that dies after the erasure; its failure note goes too", async () => {
    const erased = person("late");
    expect(await applyUserDeleted(db, userDeleted(erased.userId))).toBe("applied");

    // Registration, then erasure at once: the USER_CREATED still going round its retries dies last.
    const created = userCreated(erased);
    expect(await die(created)).toBe("erased");
    expect(await lettersOf([created.id])).toEqual([]);
    expect(await rowsOfEventsSchemaContaining(erased.email)).toEqual([]);

    // Someone who was not erased still gets their dead letter, as before.
    const other = userCreated(person("alive"));
    expect(await die(other)).toBe("recorded");
    expect(await lettersOf([other.id])).toEqual([other.id]);
  });

  it("still records bodies about nobody (not an event at all) as before", async () => {
    expect(await recordDeadLetter(db, { id: `message-${uuidv7()}`, body: "just a string", attempts: 5 })).toBe(
      "recorded",
    );
    expect(await recordDeadLetter(db, { id: `message-${uuidv7()}`, body: { userId: "not-a-uuid" }, attempts: 5 })).toBe(
      "recorded",
    );
  });
});
