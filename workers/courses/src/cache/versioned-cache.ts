import { v7 as uuidv7 } from "uuid";
import { errorText, logLine } from "@platform/http-kit";

/**
 * Public reads kept in KV under a version per scope (the catalog is one scope, each course
 * another). Moving a scope's version on is the whole invalidation: entries cached under an older
 * version are simply never read again, and expire on their own a day later. A write that could
 * race with a reader cannot leave stale data behind, because a reader stores what it loaded under
 * the version it read BEFORE loading: whatever it loaded is at least that new.
 *
 * In front of KV, each isolate remembers a scope's version for a second and the entries it served
 * last, so a hot entry costs no KV read at all; another isolate's change is noticed within a
 * second, and this isolate's own change at once. KV itself is eventually consistent: other
 * locations see a new version within about a minute.
 *
 * The cache never takes a read down with it: when KV fails, the read goes to PostgreSQL and
 * nothing is kept (logged). Only moving a version on reports a failure, to a caller that can retry.
 */
const ENTRY_TTL_SECONDS = 86_400;
const VERSION_MEMO_MS = 1_000;
const ENTRIES_IN_MEMORY = 256;
const VERSIONS_IN_MEMORY = 1_024;

/**
 * The slice of a KV namespace the cache needs, described structurally (as media/store.ts
 * describes R2) so the code is typechecked and tested outside workerd too: the `CATALOG_CACHE`
 * binding satisfies it as it is.
 */
export interface CacheStore {
  get(key: string): Promise<string | null>;
  get<T>(key: string, type: "json"): Promise<T | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

export type CacheOutcome = "hit" | "miss";

/** One cached entry of a scope at the version read when the slot was taken. */
export interface CacheSlot<T> {
  /** What the cache holds, or undefined. */
  readonly value: T | undefined;
  /**
   * Keeps a value loaded after the slot was taken: in this isolate's memory at once, and in KV
   * through the promise returned (hand it to `waitUntil`; it never rejects, a failure is logged).
   */
  fill(value: T): Promise<void>;
}

const memoVersions = new Map<string, { value: string; readAt: number }>();
const memoEntries = new Map<string, unknown>();

const versionKey = (scope: string) => `${scope}:generation`;

/** Keeps a bounded Map in least-recently-used order (a Map iterates in insertion order). */
function touch<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value ?? key);
}

async function currentVersion(kv: CacheStore, scope: string, now: number): Promise<string> {
  const memo = memoVersions.get(scope);
  if (memo && now - memo.readAt < VERSION_MEMO_MS) return memo.value;
  const value = (await kv.get(versionKey(scope))) ?? "initial";
  touch(memoVersions, scope, { value, readAt: now }, VERSIONS_IN_MEMORY);
  return value;
}

/** What a read gets when KV fails: nothing cached, and nothing to keep. */
function unavailable<T>(error: unknown): CacheSlot<T> {
  logLine("warn", "courses", "cache unavailable; reading PostgreSQL", { error: errorText(error) });
  return { value: undefined, fill: async () => {} };
}

/** The entry `name` of `scope`, at the scope's current version. */
export async function cacheSlot<T>(
  kv: CacheStore,
  scope: string,
  name: string,
  now = Date.now(),
): Promise<CacheSlot<T>> {
  let version: string;
  try {
    version = await currentVersion(kv, scope, now);
  } catch (error) {
    return unavailable(error);
  }
  return unversionedSlot<T>(kv, `${scope}:${version}:${name}`);
}

/**
 * An entry under a key of its own, which no version moves on: only for what its reader checks
 * against a versioned entry anyway (a slug's course id, checked against that course's page).
 */
export async function unversionedSlot<T>(kv: CacheStore, key: string): Promise<CacheSlot<T>> {
  const fill = async (value: T) => {
    touch(memoEntries, key, value, ENTRIES_IN_MEMORY);
    try {
      await kv.put(key, JSON.stringify(value), { expirationTtl: ENTRY_TTL_SECONDS });
    } catch (error) {
      logLine("warn", "courses", "cache entry not stored", { key, error: errorText(error) });
    }
  };
  if (memoEntries.has(key)) {
    const value = memoEntries.get(key) as T;
    touch(memoEntries, key, value, ENTRIES_IN_MEMORY);
    return { value, fill };
  }
  let stored: T | null;
  try {
    stored = await kv.get<T>(key, "json");
  } catch (error) {
    return unavailable(error);
  }
  if (stored !== null) touch(memoEntries, key, stored, ENTRIES_IN_MEMORY);
  return { value: stored ?? undefined, fill };
}

/** Reads an entry through the cache: the cached value, or `load()`'s, kept. `store` receives the KV write (for `waitUntil`). */
export async function cached<T>(
  kv: CacheStore,
  scope: string,
  name: string,
  load: () => Promise<T>,
  store: (write: Promise<void>) => void,
  now = Date.now(),
): Promise<{ value: T; cache: CacheOutcome }> {
  const slot = await cacheSlot<T>(kv, scope, name, now);
  if (slot.value !== undefined) return { value: slot.value, cache: "hit" };
  const value = await load();
  store(slot.fill(value));
  return { value, cache: "miss" };
}

/**
 * Moves a scope's version on: everything cached in it before is never read again. This isolate
 * sees the new version at once; others within a second of KV showing it to them.
 */
export async function moveOn(kv: CacheStore, scope: string, now = Date.now()): Promise<void> {
  const value = uuidv7();
  touch(memoVersions, scope, { value, readAt: now }, VERSIONS_IN_MEMORY);
  await kv.put(versionKey(scope), value);
}
