import { v7 as uuidv7 } from "uuid";

/**
 * Catalog pages in KV under a generation: a COURSE_PUBLISHED or COURSE_UPDATED event moves the
 * generation on, and every page cached before it is simply never read again (they expire on
 * their own a day later). Invalidation is driven by the event, not by the expiry. KV is
 * eventually consistent: other locations see the new generation within about a minute.
 *
 * In front of KV, each isolate keeps the generation for a second and the pages it served last
 * in memory, so a hot page costs no KV read at all; a new generation is noticed within a second.
 */
const GENERATION_KEY = "catalog:generation";
const PAGE_TTL_SECONDS = 86_400;
const GENERATION_MEMO_MS = 1_000;
const PAGES_IN_MEMORY = 256;

export type CacheOutcome = "hit" | "miss";

/**
 * The slice of a KV namespace the catalog cache needs, described structurally (as media/store.ts
 * describes R2) so the code that invalidates it is typechecked and tested outside workerd too: the
 * `CATALOG_CACHE` binding satisfies it as it is.
 */
export interface CatalogStore {
  get(key: string): Promise<string | null>;
  get<T>(key: string, type: "json"): Promise<T | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

let memoGeneration: { value: string; readAt: number } | undefined;
const memoPages = new Map<string, unknown>();

/** One key per distinct query: the same filters in any order share it. */
export function pageKey(generation: string, query: Record<string, string | number | undefined>): string {
  const canonical = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `catalog:${generation}:${canonical}`;
}

async function currentGeneration(kv: CatalogStore, now: number): Promise<string> {
  if (memoGeneration && now - memoGeneration.readAt < GENERATION_MEMO_MS) return memoGeneration.value;
  const value = (await kv.get(GENERATION_KEY)) ?? "initial";
  if (memoGeneration?.value !== value) memoPages.clear();
  memoGeneration = { value, readAt: now };
  return value;
}

function remember(key: string, page: unknown): void {
  memoPages.delete(key);
  memoPages.set(key, page);
  // A Map keeps insertion order: the first key is the least recently used.
  if (memoPages.size > PAGES_IN_MEMORY) memoPages.delete(memoPages.keys().next().value ?? key);
}

export async function cachedPage<T>(
  kv: CatalogStore,
  query: Record<string, string | number | undefined>,
  load: () => Promise<T>,
  store: (write: Promise<void>) => void,
  now = Date.now(),
): Promise<{ page: T; cache: CacheOutcome }> {
  const key = pageKey(await currentGeneration(kv, now), query);
  if (memoPages.has(key)) {
    const page = memoPages.get(key) as T;
    remember(key, page);
    return { page, cache: "hit" };
  }
  const cached = await kv.get<T>(key, "json");
  if (cached !== null) {
    remember(key, cached);
    return { page: cached, cache: "hit" };
  }
  const page = await load();
  remember(key, page);
  store(kv.put(key, JSON.stringify(page), { expirationTtl: PAGE_TTL_SECONDS }));
  return { page, cache: "miss" };
}

export async function invalidateCatalog(kv: CatalogStore): Promise<void> {
  await kv.put(GENERATION_KEY, uuidv7());
}
