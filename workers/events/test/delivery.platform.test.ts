import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { buildEvent, outboxRowOf } from "@platform/events";
import { triggerOutboxSweep } from "@platform/dev-stack";
import {
  GOOD_PASSWORD,
  api,
  gatewayUrl,
  registerAndLogin,
  uniqueEmail,
  type RegisteredUser,
  type TokenPair,
} from "../../../test/support/api.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * The in-platform half of the event backbone, on the running stack: outbox → Queue (fast path
 * after the request, and the cron sweep) → the events worker → subscribers by RPC, deduped on
 * the event id; poison messages → dead-letter queue → events.dead_letters.
 */
const db = new pg.Pool({ connectionString: inject("databaseUrl") });
afterAll(() => db.end());

async function processedByUsers(eventId: string) {
  const { rows } = await db.query<{ correlation_id: string; type: string }>(
    "select type, correlation_id from users.processed_events where event_id = $1",
    [eventId],
  );
  return rows;
}

async function theUserCreatedEventOf(userId: string) {
  const { rows } = await db.query<{ id: string; envelope: { metadata: { correlationId: string } } }>(
    "select id, envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
    [userId],
  );
  expect(rows).toHaveLength(1);
  const [event] = rows;
  if (!event) throw new Error("no USER_CREATED in the auth outbox");
  return event;
}

/** What the users consumer answered each time the router delivered this event, from the router's log lines. */
function deliveriesLogged(eventId: string): string[] {
  const log = readFileSync(join(inject("logDir"), `wrangler-${new URL(gatewayUrl).port}.log`), "utf8");
  return log
    .split("\n")
    .filter((line) => line.includes(eventId) && line.includes('"msg":"delivered"'))
    .map(
      (line) => JSON.parse(line.slice(line.indexOf("{"))) as { outcomes: Array<{ binding: string; outcome: string }> },
    )
    .map((record) =>
      record.outcomes
        .map((outcome) => `${outcome.binding}:${outcome.outcome}`)
        .sort()
        .join(","),
    );
}

async function adminToken(): Promise<string> {
  const admin = await registerAndLogin("events-admin");
  await db.query("update auth.accounts set roles = '{admin}' where id = $1", [admin.userId]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: admin.email, password: GOOD_PASSWORD },
  });
  return login.body.accessToken;
}

describe("outbox → Queue → consumer", () => {
  it("delivers USER_CREATED from a registration to the users service with the same id and correlation id", async () => {
    const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
      body: { email: uniqueEmail("delivered"), password: GOOD_PASSWORD, name: "Delivered Person" },
      headers: { "x-correlation-id": "journey-register-1" },
    });
    expect(registered.status).toBe(201);
    const event = await theUserCreatedEventOf(registered.body.id);
    expect(event.envelope.metadata.correlationId).toBe("journey-register-1");

    // No sweep is triggered here: the request-time fast path alone must get it there.
    const processed = await vi.waitFor(async () => {
      const rows = await processedByUsers(event.id);
      expect(rows, "users to apply USER_CREATED").not.toHaveLength(0);
      return rows;
    }, ASYNC_EFFECTS);
    expect(processed).toEqual([{ type: "USER_CREATED", correlation_id: "journey-register-1" }]);
    const { rows } = await db.query("select name from users.profiles where user_id = $1", [registered.body.id]);
    expect(rows).toEqual([{ name: "Delivered Person" }]);
    const queued = await db.query("select queued_at from auth.outbox where id = $1", [event.id]);
    expect(queued.rows[0].queued_at).toBeInstanceOf(Date);
  });

  it("a registration of a taken email (answered like a new one) leaves no event behind", async () => {
    const email = uniqueEmail("taken");
    const first = await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "First" } });
    expect(first.status).toBe(201);
    const before = await db.query("select count(*)::int as n from auth.outbox where envelope->'data'->>'email' = $1", [
      email,
    ]);
    const second = await api("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Second" },
    });
    // Answered like a new registration, so nobody learns the address has an account; nothing is created.
    expect(second.status).toBe(201);
    const after = await db.query("select count(*)::int as n from auth.outbox where envelope->'data'->>'email' = $1", [
      email,
    ]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(after.rows[0].n).toBe(1);
  });

  it("the sweep relays a row the fast path never sent (the Queue is the only way it gets applied)", async () => {
    const userId =
      "01a2f000-0000-7000-8000-" +
      Math.floor(Math.random() * 1e12)
        .toString(16)
        .padStart(12, "0");
    const event = buildEvent(
      "USER_CREATED",
      { userId, email: uniqueEmail("swept"), name: "Swept In", roles: ["learner"] },
      { source: "auth", correlationId: "sweep-test" },
    );
    const row = outboxRowOf(event);
    // An earlier request's fast-path relay may still be running after its answer (waitUntil), and
    // would pick this row up; wait until it has drained the outbox, plus a margin for its last look.
    await vi.waitFor(async () => {
      const { rows } = await db.query("select count(*)::int as n from auth.outbox where queued_at is null");
      expect(rows[0].n).toBe(0);
    }, ASYNC_EFFECTS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Written straight to the table, as if the worker had died between commit and relay.
    await db.query("insert into auth.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)", [
      row.id,
      row.type,
      row.topic,
      row.aggregateId,
      JSON.stringify(row.envelope),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await processedByUsers(event.id)).toEqual([]);

    await triggerOutboxSweep(gatewayUrl);
    await expect
      .poll(async () => (await processedByUsers(event.id)).length, {
        ...ASYNC_EFFECTS,
        message: "the swept event to be applied",
      })
      .toBeGreaterThan(0);
    const { rows } = await db.query("select name from users.profiles where user_id = $1", [userId]);
    expect(rows).toEqual([{ name: "Swept In" }]);
  });

  it("an event delivered again (re-queued) is applied once", async () => {
    const session = await registerAndLogin("redelivered");
    const event = await theUserCreatedEventOf(session.userId);
    await expect
      .poll(async () => (await processedByUsers(event.id)).length, { ...ASYNC_EFFECTS, message: "first delivery" })
      .toBeGreaterThan(0);
    // The router logs the delivery once every subscriber has answered, a moment after the profile exists.
    await vi.waitFor(() => expect(deliveriesLogged(event.id), "the first delivery").toHaveLength(1), ASYNC_EFFECTS);

    // Mark it unqueued so the sweep sends the very same envelope a second time.
    await db.query("update auth.outbox set queued_at = null where id = $1", [event.id]);
    // A sweep's relay can fail on a loaded machine (the gateway logs it and the next sweep retries):
    // sweep until the row is queued again, then look for what the router made of it.
    await vi.waitFor(
      async () => {
        await triggerOutboxSweep(gatewayUrl);
        const { rows } = await db.query<{ queued: boolean }>(
          "select queued_at is not null as queued from auth.outbox where id = $1",
          [event.id],
        );
        expect(rows, "the row queued again").toEqual([{ queued: true }]);
      },
      { ...ASYNC_EFFECTS, interval: 1000 },
    );
    const outcomes = await vi.waitFor(() => {
      const seen = deliveriesLogged(event.id);
      expect(seen, "the second delivery").toHaveLength(2);
      return seen;
    }, ASYNC_EFFECTS);
    // Each subscriber of USER_CREATED (the profile, the welcome notice) applies it once, then knows it.
    expect(outcomes).toEqual(["NOTIFICATIONS:applied,USERS:applied", "NOTIFICATIONS:duplicate,USERS:duplicate"]);
    expect(await processedByUsers(event.id)).toHaveLength(1);
  });
});

describe("poison messages", () => {
  it("a message no consumer can apply lands in the dead-letter queue after its retries, and an admin can read and replay it", async () => {
    const eventId =
      "01a2f001-0000-7000-8000-" +
      Math.floor(Math.random() * 1e12)
        .toString(16)
        .padStart(12, "0");
    // A COURSE_PUBLISHED missing its data, as a writer on an older catalogue might have produced.
    const poison = { id: eventId, type: "COURSE_PUBLISHED", source: "courses", version: 1, aggregateId: "x", data: {} };
    await db.query("insert into courses.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)", [
      eventId,
      "COURSE_PUBLISHED",
      "course-events",
      "x",
      JSON.stringify(poison),
    ]);
    await triggerOutboxSweep(gatewayUrl);
    const letter = await vi.waitFor(async () => {
      const { rows } = await db.query(
        "select id, event_type, body, replayed_at, reason from events.dead_letters where event_id = $1",
        [eventId],
      );
      expect(rows[0], "the dead letter").toBeDefined();
      return rows[0];
    }, ASYNC_EFFECTS);
    expect(letter).toMatchObject({ event_type: "COURSE_PUBLISHED", body: poison, replayed_at: null });
    // Why it died, as the router last saw it: the dead letter says so, and the note it came from is gone.
    expect(letter.reason).toMatch(/^not a valid platform event: /);
    const { rows: notes } = await db.query("select 1 from events.delivery_failures where event_id = $1", [eventId]);
    expect(notes).toHaveLength(0);

    const learner = await registerAndLogin("dlq-learner");
    const forbidden = await api("GET", "/api/events/dead-letters", { token: learner.tokens.accessToken });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("content-type")).toContain("application/problem+json");
    expect((await api("GET", "/api/events/dead-letters")).status).toBe(401);

    const token = await adminToken();
    const listed = await api<{ items: Array<{ id: string; eventId: string; reason: string | null }> }>(
      "GET",
      "/api/events/dead-letters?limit=100",
      { token },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.eventId)).toContain(eventId);
    expect(listed.body.items.find((item) => item.eventId === eventId)?.reason).toBe(letter.reason);

    const replayed = await api<{ replayedAt: string | null }>("POST", `/api/events/dead-letters/${letter.id}/replay`, {
      token,
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body.replayedAt).not.toBeNull();
    // Still poison: it goes round its retries again and comes back as a second dead letter.
    await expect
      .poll(
        async () => {
          const { rows } = await db.query("select count(*)::int as n from events.dead_letters where event_id = $1", [
            eventId,
          ]);
          return rows[0].n;
        },
        { ...ASYNC_EFFECTS, message: "the replayed message to be dead-lettered again" },
      )
      .toBe(2);

    const missing = await api("POST", "/api/events/dead-letters/01a2f002-0000-7000-8000-000000000000/replay", {
      token,
    });
    expect(missing.status).toBe(404);
    const invalid = await api("POST", "/api/events/dead-letters/not-a-uuid/replay", { token });
    expect(invalid.status).toBe(400);
  });
});
