import { and, asc, eq, gt, ilike, or, sql } from "drizzle-orm";
import { consumeOnce, type ConsumeOutcome } from "@platform/db";
import { recordEvent, type EventEnvelope, type EventData } from "@platform/events";
import type { Database, Queryable } from "./db/database.ts";
import { erasedUsers, outbox, processedEvents, profiles } from "./db/schema.ts";

export type Profile = typeof profiles.$inferSelect;

export interface ProfileChanges {
  readonly name?: string;
  readonly avatarUrl?: string | null;
  readonly locale?: string;
  readonly timeZone?: string;
}

export async function findProfile(db: Database, userId: string): Promise<Profile | undefined> {
  const [row] = await db.select().from(profiles).where(eq(profiles.userId, userId)).limit(1);
  return row;
}

/**
 * Applies USER_CREATED once: the profile and the processed-event mark commit together, so a
 * redelivered event finds its mark and changes nothing. An erased account's event (registration
 * followed at once by erasure, the event arriving last) creates nothing: the tombstone says so.
 */
export async function applyUserCreated(
  db: Database,
  event: EventEnvelope<"USER_CREATED", EventData<"USER_CREATED">>,
): Promise<ConsumeOutcome> {
  return consumeOnce(db, processedEvents, event, async (tx) => {
    if (await isErased(tx, event.data.userId)) return;
    await tx
      .insert(profiles)
      .values({ userId: event.data.userId, name: event.data.name, email: event.data.email })
      .onConflictDoNothing();
  });
}

/** Updates the profile and records USER_UPDATED with what changed, in one transaction. */
export async function updateProfile(
  db: Database,
  userId: string,
  changes: ProfileChanges,
  context: { correlationId: string },
): Promise<Profile | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(profiles)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(profiles.userId, userId))
      .returning();
    if (!row) return undefined;
    await recordEvent(tx, outbox, "USER_UPDATED", { userId, ...changes }, { source: "users", ...context });
    return row;
  });
}

/**
 * Erasure: the profile row goes and a tombstone (the bare id and when) stays, so no later event
 * re-creates it. Called by the erasure route and by USER_DELETED; either may come first.
 */
export async function eraseProfile(db: Database, userId: string): Promise<void> {
  await db.transaction((tx) => eraseIn(tx, userId));
}

/** USER_DELETED (auth erased the account): the same erasure, once per event. */
export async function applyUserDeleted(
  db: Database,
  event: EventEnvelope<"USER_DELETED", EventData<"USER_DELETED">>,
): Promise<ConsumeOutcome> {
  return consumeOnce(db, processedEvents, event, (tx) => eraseIn(tx, event.data.userId));
}

async function eraseIn(tx: Queryable, userId: string): Promise<void> {
  await tx.insert(erasedUsers).values({ userId }).onConflictDoNothing();
  await tx.delete(profiles).where(eq(profiles.userId, userId));
}

/** Whether the account was erased: its tombstone is there. */
export async function isErased(tx: Queryable, userId: string): Promise<boolean> {
  const rows = await tx.select({ userId: erasedUsers.userId }).from(erasedUsers).where(eq(erasedUsers.userId, userId));
  return rows.length > 0;
}

export interface ProfilePage {
  readonly items: Profile[];
  readonly nextCursor: string | null;
}

/**
 * Admin search over name and email, in id order. Ids are UUIDv7, so id order is creation order
 * and the last id of a page is a stable cursor (no offset drift while people sign up).
 */
export async function listProfiles(
  db: Database,
  query: { search?: string; cursor?: string; limit: number },
): Promise<ProfilePage> {
  const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : undefined;
  const rows = await db
    .select()
    .from(profiles)
    .where(
      and(
        query.cursor ? gt(profiles.userId, query.cursor) : undefined,
        pattern ? or(ilike(profiles.name, pattern), ilike(profiles.email, pattern)) : undefined,
      ),
    )
    .orderBy(asc(profiles.userId))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.userId ?? null) : null };
}
