import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress, registerAndLogin } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * The event feed (issue 18) on the running platform: events the router delivered, read through
 * the gateway with an admin's API key, paged and replayed from any cursor in the same order,
 * filtered by type, refused without `events:read`; the SSE stream resuming after `Last-Event-ID`
 * with no gap and no repeat while events keep coming; an erased person's events leaving it. The
 * rules case by case (dedupe, erasure races, retention, the stream ending by itself) are
 * event-feed.routes.test.ts.
 */
interface FeedItem {
  readonly cursor: string;
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string;
  readonly data: { readonly userId?: string; readonly email?: string };
}
interface FeedPage {
  readonly items: FeedItem[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

let owner: Person;
let feedKey: string;
let otherKey: string;
/** The feed's end before this file's events: the suite's other files make events too. */
let start: string;

const makeKey = async (scopes: string[]) => {
  const made = await api<{ key: string }>("POST", "/api/auth/api-keys", {
    token: owner.token,
    body: { name: "event feed", scopes },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.key;
};
const withKey = <T = Record<string, unknown>>(key: string, path: string) =>
  api<T>("GET", path, { headers: { authorization: `Bearer ${key}` } });

async function feedEnd(): Promise<string> {
  const { rows } = await db.query<{ seq: string }>("select coalesce(max(seq), 0)::text as seq from events.feed");
  return rows[0]?.seq ?? "0";
}

/** Every entry after `after`, page by page. */
async function readAll(after: string, query = "", limit = 3): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let cursor = after;
  for (;;) {
    const page = await withKey<FeedPage>(feedKey, `/api/events?after=${cursor}&limit=${limit}${query}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!page.body.hasMore) return items;
  }
}

const userCreatedIn = (items: readonly FeedItem[], userIds: readonly string[]) =>
  items.filter((item) => item.type === "USER_CREATED" && userIds.includes(item.data.userId ?? ""));

beforeAll(async () => {
  owner = await admin("event-feed-owner");
  feedKey = await makeKey(["events:read"]);
  otherKey = await makeKey(["courses:read"]);
  start = await feedEnd();
});

describe("GET /api/events", () => {
  it("pages through the events in a stable order, and a replay from a middle cursor answers the same events", async () => {
    const userIds: string[] = [];
    for (let index = 0; index < 4; index++) userIds.push((await registerAndLogin(`event-feed-${index}`)).userId);

    await expect
      .poll(async () => userCreatedIn(await readAll(start, "&types=USER_CREATED", 500), userIds).length, {
        ...ASYNC_EFFECTS,
        message: "every registration's USER_CREATED in the feed",
      })
      .toBe(4);

    const all = await readAll(start, "", 2);
    const seqs = all.map((item) => Number(item.cursor));
    expect(seqs, "oldest first, each once").toEqual([...new Set(seqs)].sort((a, b) => a - b));
    const mine = userCreatedIn(all, userIds);
    expect(mine.map((item) => item.data.userId).sort()).toEqual([...userIds].sort());
    // The feed carries the envelope whole, for admins' keys: the address is there.
    expect(mine[0]?.data.email).toMatch(/@example\.com$/);

    const middle = all[Math.floor(all.length / 2)]?.cursor ?? start;
    const tail = all.slice(Math.floor(all.length / 2) + 1);
    // Replays with other page sizes answer the same events in the same order (later events may follow).
    for (const limit of [1, 3, 500]) {
      const replay = await readAll(middle, "", limit);
      expect(replay.slice(0, tail.length), `replay, limit ${limit}`).toEqual(tail);
    }

    const onlyUsers = await readAll(start, "&types=USER_CREATED,USER_DELETED");
    expect(onlyUsers.every((item) => item.type === "USER_CREATED" || item.type === "USER_DELETED")).toBe(true);
    expect(userCreatedIn(onlyUsers, userIds)).toEqual(mine);
  });

  it("answers 403 to a key without events:read and to a learner, 401 without a token, 400 for a bad cursor or type", async () => {
    const refused = await withKey(otherKey, "/api/events");
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe("This API key lacks the scope events:read.");
    expect((await withKey(otherKey, "/api/events/stream")).status).toBe(403);
    const person = await learner("event-feed-learner");
    expect((await api("GET", "/api/events", { token: person.token })).status).toBe(403);
    expect((await api("GET", "/api/events")).status).toBe(401);
    expect((await api("GET", "/api/events?limit=1", { token: owner.token })).status).toBe(200);
    for (const query of ["after=not-a-cursor", "types=USER_CREATED,NOT_A_TYPE", "limit=501"]) {
      const bad = await withKey(feedKey, `/api/events?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.headers.get("content-type"), query).toContain("application/problem+json");
    }
  });
});

describe("GET /api/events/stream", () => {
  interface SseEvent {
    readonly id: string;
    readonly event: string;
    /** The envelope; its cursor is the SSE id. */
    readonly data: Omit<FeedItem, "cursor">;
  }

  /** Reads SSE events off the gateway until `count` have come, then hangs up. */
  async function readStream(count: number, headers: Record<string, string>, query: string): Promise<SseEvent[]> {
    const abort = new AbortController();
    const response = await fetch(`${gatewayUrl}/api/events/stream?${query}`, {
      headers: { authorization: `Bearer ${feedKey}`, "cf-connecting-ip": newClientAddress(), ...headers },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) throw new Error("no body");
    const received: SseEvent[] = [];
    let buffer = "";
    const deadline = Date.now() + 30_000;
    try {
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} events came`);
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended early");
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0 && received.length < count) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(
            block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
          );
          const id = fields.get("id");
          if (id === undefined) continue; // `retry:` and heartbeat comments
          received.push({
            id,
            event: fields.get("event") ?? "",
            data: JSON.parse(fields.get("data") ?? "") as SseEvent["data"],
          });
        }
      }
      return received;
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
  }

  let producing = true;
  afterAll(() => {
    producing = false;
  });

  it("resumes after Last-Event-ID with no gap and no repeat while events keep coming", async () => {
    const from = await feedEnd();
    // New registrations all along, so events are being appended while the client reads and reconnects.
    const producer = (async () => {
      let index = 0;
      while (producing && index < 12) {
        await registerAndLogin(`event-feed-live-${index++}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const query = `after=${from}&types=USER_CREATED`;
    const first = await readStream(3, {}, query);
    const lastId = first.at(-1)?.id ?? "";
    const second = await readStream(4, { "last-event-id": lastId }, query);
    producing = false;
    await producer;

    const streamed = [...first, ...second];
    expect(streamed.every((event) => event.event === "USER_CREATED" && event.data.type === "USER_CREATED")).toBe(true);
    // No gap: exactly what the feed holds over the same span, in the same order; no repeat across the reconnect.
    const paged = await readAll(from, "&types=USER_CREATED", 500);
    // Each SSE id is the entry's cursor, and the data its envelope.
    expect(streamed.map((event) => [event.id, event.data.id])).toEqual(
      paged.slice(0, streamed.length).map((item) => [item.cursor, item.id]),
    );
    expect(new Set(streamed.map((event) => event.id)).size).toBe(streamed.length);
  });
});

describe("erasure", () => {
  it("takes an erased person's events out of the feed and keeps their USER_DELETED", async () => {
    const session = await registerAndLogin("event-feed-erased");
    const theirs = async () => {
      const items = await readAll(start, "&types=USER_CREATED,USER_UPDATED,USER_DELETED", 500);
      return items.filter((item) => item.aggregateId === session.userId).map((item) => item.type);
    };
    await expect
      .poll(theirs, { ...ASYNC_EFFECTS, message: "their USER_CREATED in the feed" })
      .toContain("USER_CREATED");

    expect((await api("DELETE", "/api/users/me", { token: session.tokens.accessToken })).status).toBe(204);

    await expect.poll(theirs, { ...ASYNC_EFFECTS, message: "only their USER_DELETED left" }).toEqual(["USER_DELETED"]);
    const { rows } = await db.query("select 1 from events.feed f where strpos(f::text, $1) > 0", [session.email]);
    expect(rows, "the address is nowhere in the feed").toEqual([]);
  });
});
