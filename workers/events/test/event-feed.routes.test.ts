import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@platform/db";
import { buildEvent, type PlatformEvent } from "@platform/events";
import {
  CORRELATION_HEADER,
  PRINCIPAL_API_KEY_HEADER,
  PRINCIPAL_ROLES_HEADER,
  PRINCIPAL_SCOPES_HEADER,
  PRINCIPAL_USER_HEADER,
} from "@platform/http-kit";
import { databaseBindings, inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { applyUserDeleted } from "../src/erasure.ts";
import { appendToFeed, pruneFeed } from "../src/event-feed.ts";

/**
 * The event feed against the real events schema, in-process: what the router appends (once per
 * event, in order, nothing about an erased person), `GET /api/events` paging and replay, its
 * refusals, the SSE stream ending by itself and resuming after `Last-Event-ID`, erasure and
 * retention. The router appending on the running stack, and API keys, are event-feed.platform.test.ts.
 */
const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const { db } = database;
afterAll(async () => {
  await database.close();
  await pool.end();
});

const events = inProcess(app, { EVENTS_QUEUE: recordingQueue() });
const admin = principal("admin");

interface FeedItem {
  readonly cursor: string;
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}
interface FeedPage {
  readonly items: FeedItem[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

/** The feed's end before a test's own events: other test files append too, so each reads after its own start. */
async function feedEnd(): Promise<string> {
  const { rows } = await pool.query<{ seq: string }>("select coalesce(max(seq), 0)::text as seq from events.feed");
  return rows[0]?.seq ?? "0";
}

const viewed = (userId = uuidv7()) =>
  buildEvent(
    "LESSON_VIEWED",
    { userId, courseId: uuidv7(), lessonId: uuidv7(), positionSeconds: null, viewedAt: new Date().toISOString() },
    { source: "progress", correlationId: "feed" },
  );
const created = (userId = uuidv7()) =>
  buildEvent(
    "USER_CREATED",
    { userId, email: `feed-${userId}@example.test`, name: "Feed Person", roles: ["learner"] },
    { source: "auth", correlationId: "feed" },
  );
const deleted = (userId: string) => buildEvent("USER_DELETED", { userId }, { source: "auth", correlationId: "feed" });

async function readAll(after: string, query = "", limit = 2): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let cursor = after;
  for (;;) {
    const page = await events.request<FeedPage>("GET", `/api/events?after=${cursor}&limit=${limit}${query}`, {
      as: admin,
    });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!page.body.hasMore) return items;
  }
}

describe("appending to the feed", () => {
  it("keeps a batch in its order and a redelivered event once", async () => {
    const start = await feedEnd();
    const batch = [viewed(), created(), viewed()];
    expect((await appendToFeed(db, batch)).added).toBe(3);
    // The Queue's retry, a producer's re-send, a replayed dead letter, or twice in one batch.
    expect((await appendToFeed(db, [batch[1] as PlatformEvent, batch[1] as PlatformEvent])).added).toBe(0);
    const read = await readAll(start, "&types=LESSON_VIEWED,USER_CREATED");
    expect(read.map((item) => item.id)).toEqual(batch.map((event) => event.id));
  });

  it("leaves out an event about an erased person, but not their USER_DELETED", async () => {
    const userId = uuidv7();
    await applyUserDeleted(db, deleted(userId));
    const late = viewed(userId);
    const erasure = deleted(userId);
    const other = viewed();
    expect((await appendToFeed(db, [late, erasure, other])).added).toBe(2);
    const { rows } = await pool.query<{ event_id: string }>(
      "select event_id from events.feed where event_id = any($1::uuid[]) order by seq",
      [[late.id, erasure.id, other.id]],
    );
    expect(rows.map((row) => row.event_id)).toEqual([erasure.id, other.id]);
  });
});

describe("GET /api/events", () => {
  let start: string;
  let written: PlatformEvent[];
  beforeAll(async () => {
    start = await feedEnd();
    written = [viewed(), created(), viewed(), created(), viewed()];
    for (const event of written) await appendToFeed(db, [event]);
  });

  it("pages through the feed oldest first, each event with its cursor, and replays the same from any cursor", async () => {
    const all = await readAll(start, "", 2);
    expect(all.map((item) => item.id)).toEqual(written.map((event) => event.id));
    expect(all[1]).toMatchObject({ type: "USER_CREATED", data: written[1]?.data, cursor: expect.any(String) });
    const middle = all[1]?.cursor ?? "";
    const replayed = await readAll(middle, "", 3);
    expect(replayed).toEqual(all.slice(2));
    expect(await readAll(middle, "", 500)).toEqual(all.slice(2));
  });

  it("answers only the asked types, and an empty page keeps the cursor it was given", async () => {
    const users = await readAll(start, "&types=USER_CREATED");
    expect(users.map((item) => item.id)).toEqual([written[1]?.id, written[3]?.id]);
    const end = await feedEnd();
    const empty = await events.request<FeedPage>("GET", `/api/events?after=${end}`, { as: admin });
    expect(empty.body).toEqual({ items: [], nextCursor: end, hasMore: false });
  });

  it("answers 400 for a cursor it did not give, an unknown type or a limit out of range", async () => {
    for (const query of [
      "after=abc",
      "after=-1",
      "after=1.5",
      "after=01",
      "after=99999999999999999999",
      "types=NOPE",
      "types=USER_CREATED,NOPE",
      "types=",
      "limit=0",
      "limit=501",
    ]) {
      const answer = await events.request("GET", `/api/events?${query}`, { as: admin });
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get("content-type"), query).toContain("application/problem+json");
    }
  });

  it("is for admins and API keys with events:read only", async () => {
    expect((await events.request("GET", "/api/events")).status).toBe(401);
    expect((await events.request("GET", "/api/events", { as: principal("learner") })).status).toBe(403);
    expect((await events.request("GET", "/api/events", { as: principal("instructor") })).status).toBe(403);
    const key = (scopes: string) => ({
      as: admin,
      headers: { [PRINCIPAL_API_KEY_HEADER]: uuidv7(), [PRINCIPAL_SCOPES_HEADER]: scopes },
    });
    expect((await events.request("GET", "/api/events", key("courses:read"))).status).toBe(403);
    expect((await events.request("GET", "/api/events?limit=1", key("courses:read,events:read"))).status).toBe(200);
  });
});

describe("GET /api/events/stream", () => {
  /** A stream that ends after a second, so a test reads it whole. */
  const streamEnv = { ...databaseBindings(), EVENT_FEED_STREAM_SECONDS: "1", EVENT_FEED_POLL_MS: "50" };

  async function openStream(query: string, headers: Record<string, string> = {}): Promise<Response> {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void pending.push(promise), passThroughOnException() {} };
    return app.request(
      `http://worker.internal/api/events/stream?${query}`,
      {
        headers: {
          [CORRELATION_HEADER]: `feed-${uuidv7()}`,
          [PRINCIPAL_USER_HEADER]: admin.userId,
          [PRINCIPAL_ROLES_HEADER]: "admin",
          ...headers,
        },
      },
      streamEnv,
      { ...ctx, props: {} },
    );
  }

  /** The events of an SSE body, in order. */
  function parseSse(text: string) {
    return text
      .split("\n\n")
      .filter((block) => block.startsWith("id: "))
      .map((block) => {
        const [id, event, data] = block.split("\n");
        return { id: id?.slice(4), event: event?.slice(7), data: JSON.parse(data?.slice(6) ?? "") as { id: string } };
      });
  }

  it("sends the events after the cursor, ends by itself, and resumes after Last-Event-ID without a gap or a repeat", async () => {
    const start = await feedEnd();
    const written = [viewed(), created(), viewed()];
    for (const event of written) await appendToFeed(db, [event]);

    const first = await openStream(`after=${start}&types=LESSON_VIEWED,USER_CREATED`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("text/event-stream");
    const text = await first.text();
    expect(text.startsWith("retry: ")).toBe(true);
    const sent = parseSse(text);
    expect(sent.map((event) => event.data.id)).toEqual(written.map((event) => event.id));
    expect(sent.map((event) => event.event)).toEqual(["LESSON_VIEWED", "USER_CREATED", "LESSON_VIEWED"]);

    const later = viewed();
    await appendToFeed(db, [later]);
    // The browser sends the URL it first opened, plus the last id it got: the header wins.
    const resumed = await openStream(`after=${start}&types=LESSON_VIEWED,USER_CREATED`, {
      "last-event-id": sent[0]?.id ?? "",
    });
    const again = parseSse(await resumed.text());
    expect(again.map((event) => event.data.id)).toEqual([written[1]?.id, written[2]?.id, later.id]);
  });

  it("answers 400 for a Last-Event-ID it did not give, and 403 to a learner", async () => {
    expect((await openStream("", { "last-event-id": "nope" })).status).toBe(400);
    expect((await openStream("types=NOPE")).status).toBe(400);
    const learner = await openStream("", { [PRINCIPAL_ROLES_HEADER]: "learner" });
    expect(learner.status).toBe(403);
  });
});

describe("erasure and retention", () => {
  it("USER_DELETED takes the person's events out of the feed, keeps others' and the USER_DELETED", async () => {
    const userId = uuidv7();
    const theirs = [created(userId), viewed(userId)];
    const others = viewed();
    const erasure = deleted(userId);
    await appendToFeed(db, [...theirs, others]);
    await applyUserDeleted(db, erasure);
    await appendToFeed(db, [erasure]);
    const { rows } = await pool.query<{ event_id: string }>(
      "select event_id from events.feed where event_id = any($1::uuid[]) order by seq",
      [[...theirs.map((event) => event.id), others.id, erasure.id]],
    );
    expect(rows.map((row) => row.event_id)).toEqual([others.id, erasure.id]);
    const email = (theirs[0]?.data as { email: string }).email;
    expect((await pool.query("select 1 from events.feed f where strpos(f::text, $1) > 0", [email])).rows).toEqual([]);
  });

  it("the retention chore deletes entries recorded more than the retention days ago", async () => {
    const old = viewed();
    const young = viewed();
    await appendToFeed(db, [old, young]);
    await pool.query("update events.feed set recorded_at = now() - interval '31 days' where event_id = $1", [old.id]);
    expect(await pruneFeed(db, { retentionDays: 30 })).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{ event_id: string }>(
      "select event_id from events.feed where event_id = any($1::uuid[])",
      [[old.id, young.id]],
    );
    expect(rows.map((row) => row.event_id)).toEqual([young.id]);
  });
});
