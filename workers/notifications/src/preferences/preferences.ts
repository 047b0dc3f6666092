import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/database.ts";
import { preferences } from "../db/schema.ts";
import { CATEGORIES, CATEGORY_DESCRIPTIONS, CHANNELS, isLocked, type Category, type Channel } from "./categories.ts";

/**
 * A person's choices of what reaches them, per category and channel. Every channel is on until they
 * turn it off; a row is stored for each choice they made (on or off), and security email is on
 * whatever is stored (the API refuses to turn it off, and a CHECK constraint backs that up).
 */

/**
 * The channels a notice of this category may use for this person: what the delivery code asks
 * before it writes a delivery.
 */
export async function enabledChannels(
  db: Queryable,
  userId: string,
  category: Category,
): Promise<ReadonlySet<Channel>> {
  const rows = await db
    .select({ channel: preferences.channel, enabled: preferences.enabled })
    .from(preferences)
    .where(and(eq(preferences.userId, userId), eq(preferences.category, category)));
  const off = new Set(rows.filter((row) => !row.enabled).map((row) => row.channel));
  return new Set(CHANNELS.filter((channel) => isLocked(category, channel) || !off.has(channel)));
}

export interface PreferenceChange {
  readonly category: Category;
  readonly channel: Channel;
  readonly enabled: boolean;
}

export interface CategoryPreferences {
  readonly category: Category;
  readonly description: string;
  readonly channels: readonly { readonly channel: Channel; readonly enabled: boolean; readonly locked: boolean }[];
}

/** Every category × channel with its state, in the enums' order. */
export async function preferenceState(db: Queryable, userId: string): Promise<CategoryPreferences[]> {
  const rows = await db
    .select({ category: preferences.category, channel: preferences.channel, enabled: preferences.enabled })
    .from(preferences)
    .where(eq(preferences.userId, userId));
  const stored = new Map(rows.map((row) => [`${row.category}/${row.channel}`, row.enabled]));
  return CATEGORIES.map((category) => ({
    category,
    description: CATEGORY_DESCRIPTIONS[category],
    channels: CHANNELS.map((channel) => {
      const locked = isLocked(category, channel);
      return { channel, enabled: locked || (stored.get(`${category}/${channel}`) ?? true), locked };
    }),
  }));
}

/**
 * Stores the changes in one statement, so they apply all or nothing. The caller has refused a locked
 * channel turned off; the CHECK constraint would fail the whole statement if one got through.
 */
export async function changePreferences(
  db: Queryable,
  userId: string,
  changes: readonly PreferenceChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insert(preferences)
    .values(changes.map((change) => ({ userId, ...change })))
    .onConflictDoUpdate({
      target: [preferences.userId, preferences.category, preferences.channel],
      set: { enabled: sql`excluded.enabled`, updatedAt: sql`now()` },
    });
}
