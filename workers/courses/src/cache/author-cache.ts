import { cacheSlot, moveOn, type CacheSlot, type CacheStore } from "./versioned-cache.ts";

/**
 * The name each course author goes by, as the users service told it (instructor-name.ts), one
 * cache scope per author, so one move covers every course they wrote. Null: their account was
 * erased.
 *
 * The users service owns names and this service hears of an erasure (USER_DELETED moves the
 * author's scope on: event-handlers.ts) but not of a rename. So an entry also lives only for its
 * window: its name holds the ten minutes it was read in, and the next window reads the name again.
 * That bounds how long a renamed author's old name is shown, and how long an erased author's name
 * can outlive a race between the erasure's event here and in the users service.
 */
export const NAME_WINDOW_MS = 10 * 60_000;

export interface KnownName {
  readonly name: string | null;
}

const authorScope = (userId: string) => `author:${userId}`;

export const authorNameSlot = (kv: CacheStore, authorId: string, now = Date.now()): Promise<CacheSlot<KnownName>> =>
  cacheSlot<KnownName>(kv, authorScope(authorId), `name@${Math.floor(now / NAME_WINDOW_MS)}`, now);

/** The author's name is asked of the users service again; throws when KV refuses (an event retries). */
export async function invalidateAuthor(kv: CacheStore, userId: string): Promise<void> {
  await moveOn(kv, authorScope(userId));
}
