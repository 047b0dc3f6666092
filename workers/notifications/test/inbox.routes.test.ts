import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { principal, type Principal } from "../../../test/support/in-process.ts";
import type { InboxPage } from "../src/notices/inbox.ts";
import { database, inboxApp, insertNotice } from "./inbox-support.ts";

/**
 * The in-app inbox: `GET /api/notifications`, `POST /api/notifications/{id}/read`,
 * `POST /api/notifications/read-all`, against the real schema, with a recording `publishLive`.
 */
const { client, live } = inboxApp();
afterAll(() => database.end());

const list = (as: Principal | undefined, query = "") =>
  client.request<InboxPage>("GET", `/api/notifications${query}`, as ? { as } : {});
const read = (as: Principal | undefined, id: string) =>
  client.request<{ id: string; readAt: string; unreadCount: number }>(
    "POST",
    `/api/notifications/${id}/read`,
    as ? { as } : {},
  );
const readAll = (as: Principal | undefined) =>
  client.request<{ updated: number; unreadCount: number }>("POST", "/api/notifications/read-all", as ? { as } : {});

/** Every page of the inbox, following `nextCursor`. */
async function allPages(as: Principal, query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof list>> = await list(
      as,
      `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(page.status).toBe(200);
    pages.push(page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe("the inbox", () => {
  it("lists the caller's notices newest first, with every field, privately", async () => {
    const me = principal();
    const older = await insertNotice(me.userId, { createdAt: "2026-01-01T10:00:00Z", title: "Older" });
    const newer = await insertNotice(me.userId, { createdAt: "2026-01-02T10:00:00Z", title: "Newer" });
    await insertNotice(principal().userId); // someone else's

    const page = await list(me);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(page.body.items.map((item) => item.id)).toEqual([newer, older]);
    expect(page.body.items[0]).toEqual({
      id: newer,
      category: "learning",
      template: "course-completed",
      title: "Newer",
      body: "Well done.",
      link: "/courses/x",
      createdAt: "2026-01-02T10:00:00.000Z",
      readAt: null,
    });
    expect(page.body).toMatchObject({ nextCursor: null, unreadCount: 2 });
  });

  it("pages with cursors across equal timestamps, without repeats or gaps", async () => {
    const me = principal();
    const same = "2026-02-01T08:00:00.123456Z";
    const ids = [
      await insertNotice(me.userId, { createdAt: "2026-02-01T09:00:00Z" }),
      ...(await Promise.all([1, 2, 3, 4, 5].map(() => insertNotice(me.userId, { createdAt: same })))),
      // In the same millisecond as the five, but later: a cursor cut to milliseconds would skip or repeat it.
      await insertNotice(me.userId, { createdAt: "2026-02-01T08:00:00.123999Z" }),
      await insertNotice(me.userId, { createdAt: "2026-02-01T07:00:00Z" }),
    ];
    const expected = (
      await database.query<{ id: string }>(
        "select id from notifications.notices where user_id = $1 order by created_at desc, id desc",
        [me.userId],
      )
    ).rows.map((row) => row.id);
    expect(new Set(expected)).toEqual(new Set(ids));

    const pages = await allPages(me, "?limit=2");
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2]);
    expect(pages.flat()).toEqual(expected);
  });

  it("limit defaults to 20 and stays within 1–50", async () => {
    const me = principal();
    await Promise.all(Array.from({ length: 21 }, () => insertNotice(me.userId)));
    const page = await list(me);
    expect(page.body.items).toHaveLength(20);
    expect(page.body.nextCursor).not.toBeNull();
    for (const limit of ["0", "51", "ten"]) {
      const refused = await list(me, `?limit=${limit}`);
      expect(refused.status, limit).toBe(400);
      expect((refused.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual(["query.limit"]);
    }
  });

  it("filters unread notices, and counts them", async () => {
    const me = principal();
    const unread = await insertNotice(me.userId, { createdAt: "2026-03-01T10:00:00Z" });
    await insertNotice(me.userId, { createdAt: "2026-03-02T10:00:00Z", readAt: "2026-03-03T10:00:00Z" });
    const unreadToo = await insertNotice(me.userId, { createdAt: "2026-03-03T10:00:00Z" });

    const page = await list(me, "?unread=true");
    expect(page.body.items.map((item) => item.id)).toEqual([unreadToo, unread]);
    expect(page.body.unreadCount).toBe(2);
    expect((await list(me, "?unread=false")).body.items).toHaveLength(3);
    expect((await list(me, "?unread=yes")).status).toBe(400);
  });

  it("a cursor it did not give out answers 400 naming it", async () => {
    const me = principal();
    const tampered = [
      "garbage!",
      btoa("2026-01-01T00:00:00.000Z|not-a-uuid"),
      btoa(`1|${me.userId}`),
      btoa(`2026-01-01T00:00:00.000Z|${me.userId}\u0000`),
    ];
    for (const cursor of tampered) {
      const refused = await list(me, `?cursor=${encodeURIComponent(cursor)}`);
      expect(refused.status, cursor).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect((refused.body as unknown as ProblemDetails).errors?.map((error) => error.path)).toEqual(["query.cursor"]);
    }
  });

  it("anonymous callers are told to sign in, on every inbox route", async () => {
    const someone = principal();
    const id = await insertNotice(someone.userId);
    for (const response of [await list(undefined), await read(undefined, id), await readAll(undefined)]) {
      expect(response.status).toBe(401);
      expect((response.body as unknown as ProblemDetails).type).toBe("/problems/unauthorized");
    }
    expect((await list(someone)).body.unreadCount).toBe(1);
  });
});

describe("reading", () => {
  it("marks a notice read once, tells the person's devices, and keeps the first read time", async () => {
    const me = principal();
    const first = await insertNotice(me.userId);
    await insertNotice(me.userId);

    const done = await read(me, first);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: first, unreadCount: 1 });
    expect(new Date(done.body.readAt).getTime()).not.toBeNaN();
    expect(live.messagesOf(me.userId)).toEqual([{ type: "notification.read", ids: [first], unreadCount: 1 }]);

    const again = await read(me, first);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.body);
    // Nothing changed, so nobody is told anything.
    expect(live.messagesOf(me.userId)).toHaveLength(1);
    expect((await list(me)).body.items.find((item) => item.id === first)?.readAt).toBe(done.body.readAt);
  });

  it("another person's notice answers 404 and stays unread", async () => {
    const owner = principal();
    const stranger = principal();
    const theirs = await insertNotice(owner.userId);

    const refused = await read(stranger, theirs);
    expect(refused.status).toBe(404);
    expect((refused.body as unknown as ProblemDetails).type).toBe("/problems/not-found");
    expect((await read(stranger, "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d")).status).toBe(404);
    expect((await read(stranger, "not-a-uuid")).status).toBe(400);

    const { rows } = await database.query("select read_at from notifications.notices where id = $1", [theirs]);
    expect(rows).toEqual([{ read_at: null }]);
    expect(live.messagesOf(owner.userId)).toEqual([]);
    expect(live.messagesOf(stranger.userId)).toEqual([]);
  });

  it("read-all marks every unread notice read, once, and only the caller's", async () => {
    const me = principal();
    const other = principal();
    const ids = [await insertNotice(me.userId), await insertNotice(me.userId)];
    await insertNotice(me.userId, { readAt: "2026-01-01T00:00:00Z" });
    await insertNotice(other.userId);

    const done = await readAll(me);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ updated: 2, unreadCount: 0 });
    expect(live.messagesOf(me.userId)).toEqual([
      { type: "notification.read", ids: expect.arrayContaining(ids) as unknown, unreadCount: 0 },
    ]);
    expect((await list(me)).body.unreadCount).toBe(0);

    expect((await readAll(me)).body).toEqual({ updated: 0, unreadCount: 0 });
    expect(live.messagesOf(me.userId)).toHaveLength(1);
    expect((await list(other)).body.unreadCount).toBe(1);
  });

  it("a live update that fails is not the reader's problem: the read is stored", async () => {
    const me = principal();
    const id = await insertNotice(me.userId);
    live.failing = true;
    try {
      const done = await read(me, id);
      expect(done.status).toBe(200);
      expect(done.body.unreadCount).toBe(0);
    } finally {
      live.failing = false;
    }
    expect((await list(me, "?unread=true")).body.items).toEqual([]);
  });
});

describe("the API document", () => {
  it("describes every route of the inbox, preferences and unsubscribe, with who may call it", async () => {
    const document = await client.request<{ paths: Record<string, Record<string, { security?: unknown }>> }>(
      "GET",
      "/openapi.json",
    );
    expect(document.status).toBe(200);
    const { paths } = document.body;
    expect(Object.keys(paths).sort()).toEqual([
      "/api/notifications",
      "/api/notifications/preferences",
      "/api/notifications/read-all",
      "/api/notifications/unsubscribe",
      "/api/notifications/{id}/read",
    ]);
    expect(paths["/api/notifications"]?.get?.security).toBeDefined();
    expect(paths["/api/notifications/unsubscribe"]?.post?.security).toBeUndefined();
  });
});
