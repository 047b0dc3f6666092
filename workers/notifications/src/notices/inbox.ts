import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { decodeKeysetCursor, encodeKeysetCursor, ProblemError } from "@platform/http-kit";
import type { Queryable } from "../db/database.ts";
import { notices } from "../db/schema.ts";

/**
 * A person's in-app inbox (`GET /api/notifications`): their notices newest first, paged by a keyset
 * cursor on (created_at, id) that the `notices_user_recent_idx` index serves, and how many are unread
 * (the partial `notices_user_unread_idx`).
 */

export interface InboxItem {
  readonly id: string;
  readonly category: string;
  readonly template: string;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface InboxPage {
  readonly items: readonly InboxItem[];
  readonly nextCursor: string | null;
  readonly unreadCount: number;
}

export interface InboxQuery {
  readonly cursor?: string | undefined;
  readonly limit: number;
  /** Only notices not read yet. */
  readonly unread: boolean;
}

/**
 * `created_at` to the microsecond, as the cursor must carry it: two notices written in the same
 * millisecond would otherwise straddle a page boundary and one of them be skipped.
 */
const preciseCreatedAt = sql<string>`to_char(${notices.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function readInbox(db: Queryable, userId: string, query: InboxQuery): Promise<InboxPage> {
  const after = query.cursor === undefined ? undefined : decodeKeysetCursor(query.cursor);
  if (query.cursor !== undefined && !after) {
    throw new ProblemError("validation-failed", {
      detail: "One or more fields are invalid.",
      errors: [{ path: "query.cursor", message: "not a cursor this list gave out" }],
    });
  }
  const [rows, unreadCount] = await Promise.all([
    db
      .select({
        id: notices.id,
        category: notices.category,
        template: notices.template,
        title: notices.title,
        body: notices.body,
        link: notices.link,
        createdAt: notices.createdAt,
        readAt: notices.readAt,
        position: preciseCreatedAt,
      })
      .from(notices)
      .where(
        and(
          eq(notices.userId, userId),
          query.unread ? isNull(notices.readAt) : undefined,
          after
            ? sql`(${notices.createdAt}, ${notices.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(notices.createdAt), desc(notices.id))
      .limit(query.limit + 1),
    countUnread(db, userId),
  ]);
  const page = rows.slice(0, query.limit);
  const last = rows.length > query.limit ? page.at(-1) : undefined;
  return {
    items: page.map(({ position: _position, createdAt, readAt, ...item }) => ({
      ...item,
      createdAt: createdAt.toISOString(),
      readAt: readAt?.toISOString() ?? null,
    })),
    nextCursor: last ? encodeKeysetCursor(last.position, last.id) : null,
    unreadCount,
  };
}

export async function countUnread(db: Queryable, userId: string): Promise<number> {
  const [row] = await db
    .select({ unread: count() })
    .from(notices)
    .where(and(eq(notices.userId, userId), isNull(notices.readAt)));
  return row?.unread ?? 0;
}

export interface ReadOutcome {
  readonly id: string;
  readonly readAt: string;
  /** False when it had been read already: nothing changed, nobody needs telling. */
  readonly changed: boolean;
  readonly unreadCount: number;
}

/**
 * Marks one of the person's notices read, once: reading it again keeps the first `readAt`. Undefined
 * when they have no such notice, whether it does not exist or is someone else's (both answer 404).
 */
export async function markRead(db: Queryable, userId: string, id: string): Promise<ReadOutcome | undefined> {
  const mine = and(eq(notices.id, id), eq(notices.userId, userId));
  const [updated] = await db
    .update(notices)
    .set({ readAt: sql`now()` })
    .where(and(mine, isNull(notices.readAt)))
    .returning({ readAt: notices.readAt });
  let readAt = updated?.readAt;
  if (!updated) {
    const [existing] = await db.select({ readAt: notices.readAt }).from(notices).where(mine);
    if (!existing) return undefined;
    readAt = existing.readAt;
  }
  if (!readAt) throw new Error(`notice ${id} has no read time after being marked read`);
  return {
    id,
    readAt: readAt.toISOString(),
    changed: updated !== undefined,
    unreadCount: await countUnread(db, userId),
  };
}

/** Marks every unread notice of the person read; the ids it changed, and what is still unread after. */
export async function markAllRead(
  db: Queryable,
  userId: string,
): Promise<{ readonly ids: readonly string[]; readonly unreadCount: number }> {
  const updated = await db
    .update(notices)
    .set({ readAt: sql`now()` })
    .where(and(eq(notices.userId, userId), isNull(notices.readAt)))
    .returning({ id: notices.id });
  // Counted again rather than assumed 0: a notice that arrived meanwhile is unread, and the badge must say so.
  return { ids: updated.map((row) => row.id), unreadCount: await countUnread(db, userId) };
}
