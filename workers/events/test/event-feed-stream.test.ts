import { describe, expect, it } from "vitest";
import type { FeedEntry, FeedPage } from "../src/event-feed.ts";
import { feedStream } from "../src/event-feed-stream.ts";
import { decodeFeedCursor, encodeFeedCursor, parseFeedTypes } from "../src/feed-cursor.ts";

/**
 * The event feed's cursor and type list as the routes read them, and the SSE stream's own rules:
 * what it sends, when it sends a heartbeat, and that it ends (by itself, on a failure, or when the
 * client goes) exactly once. With a page reader in memory; the real feed is event-feed.routes.test.ts.
 */
describe("the feed cursor", () => {
  it("reads back what it writes, and the start", () => {
    expect(decodeFeedCursor(encodeFeedCursor(1234))).toBe(1234);
    expect(decodeFeedCursor("0")).toBe(0);
    expect(decodeFeedCursor(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("refuses anything it could not have written", () => {
    for (const bad of ["", "-1", "1.5", "1e3", "01", " 1", "0x10", "9007199254740993", "99999999999999999", "abc"]) {
      expect(decodeFeedCursor(bad), bad).toBeUndefined();
    }
  });

  it("takes a list of catalogue types, and nothing else", () => {
    expect(parseFeedTypes("USER_CREATED,COURSE_PURCHASED,USER_CREATED")).toEqual(["USER_CREATED", "COURSE_PURCHASED"]);
    for (const bad of ["", "USER_CREATED,", "user_created", "USER_CREATED,NOPE", "toString"]) {
      expect(parseFeedTypes(bad), bad).toBeUndefined();
    }
  });
});

const entry = (seq: number): FeedEntry => ({
  cursor: String(seq),
  envelope: { id: `event-${seq}`, type: "USER_DELETED", data: { userId: "u" } } as unknown as FeedEntry["envelope"],
});

/** A feed in memory that the test appends to. */
function memoryFeed() {
  const entries: FeedEntry[] = [];
  let failing = false;
  return {
    append: (seq: number) => entries.push(entry(seq)),
    fail: () => {
      failing = true;
    },
    read: async (after: string): Promise<FeedPage> => {
      if (failing) throw new Error("database down");
      const items = entries.filter((item) => Number(item.cursor) > Number(after)).slice(0, 2);
      return { items, nextCursor: items.at(-1)?.cursor ?? after, hasMore: false };
    },
  };
}

async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("the SSE stream", () => {
  it("asks for a retry delay, sends every entry after the cursor in order, then ends by itself", async () => {
    const feed = memoryFeed();
    for (const seq of [3, 5, 8, 9, 12]) feed.append(seq);
    const ends: string[] = [];
    const stream = feedStream({
      read: feed.read,
      after: "3",
      pollMs: 10,
      heartbeatMs: 60_000,
      maxMs: 150,
      retryMs: 2500,
      onEnd: (reason) => void ends.push(reason),
    });
    setTimeout(() => feed.append(20), 40);
    const text = await readText(stream);
    expect(text.startsWith("retry: 2500\n\n")).toBe(true);
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((match) => match[1])).toEqual(["5", "8", "9", "12", "20"]);
    expect(text).toContain(
      'id: 5\nevent: USER_DELETED\ndata: {"id":"event-5","type":"USER_DELETED","data":{"userId":"u"}}\n\n',
    );
    expect(ends).toEqual(["expired"]);
  });

  it("sends a comment when nothing happened for the heartbeat interval", async () => {
    const feed = memoryFeed();
    const text = await readText(
      feedStream({
        read: feed.read,
        after: "0",
        pollMs: 5,
        heartbeatMs: 30,
        maxMs: 110,
        retryMs: 1000,
        onEnd: () => {},
      }),
    );
    expect(text.match(/^: heartbeat$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain("id:");
  });

  it("ends (once) when the feed cannot be read, or when the client goes away", async () => {
    const failing = memoryFeed();
    failing.fail();
    const ends: string[] = [];
    const onEnd = (reason: string) => void ends.push(reason);
    const text = await readText(
      feedStream({ read: failing.read, after: "0", pollMs: 5, heartbeatMs: 1000, maxMs: 60_000, retryMs: 1000, onEnd }),
    );
    expect(text).toBe("retry: 1000\n\n");
    expect(ends).toEqual(["failed"]);

    const idle = memoryFeed();
    const stream = feedStream({
      read: idle.read,
      after: "0",
      pollMs: 5,
      heartbeatMs: 1000,
      maxMs: 60_000,
      retryMs: 1000,
      onEnd,
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ends).toEqual(["failed", "cancelled"]);
  });
});
