import { cached, moveOn, type CacheOutcome, type CacheStore } from "./versioned-cache.ts";

/**
 * Catalog pages, one cache scope for the whole catalog: publishing a course, or changing or
 * archiving a published one, moves its version on (right after the write, and again when the
 * course's event arrives: event-handlers.ts).
 */
const CATALOG = "catalog";

/** One entry per distinct query: the same filters in any order share it. */
export function pageName(query: Record<string, string | number | undefined>): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&");
}

export async function cachedPage<T>(
  kv: CacheStore,
  query: Record<string, string | number | undefined>,
  load: () => Promise<T>,
  store: (write: Promise<void>) => void,
  now = Date.now(),
): Promise<{ page: T; cache: CacheOutcome }> {
  const { value, cache } = await cached(kv, CATALOG, pageName(query), load, store, now);
  return { page: value, cache };
}

export async function invalidateCatalog(kv: CacheStore): Promise<void> {
  await moveOn(kv, CATALOG);
}
