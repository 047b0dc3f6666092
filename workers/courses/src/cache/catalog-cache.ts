import type { CatalogRequest } from "../catalog.ts";
import { cached, moveOn, type CacheOutcome, type CacheStore } from "./versioned-cache.ts";

/**
 * Catalog pages, one cache scope for the whole catalog: publishing a course, or changing or
 * archiving a published one, moves its version on (right after the write, and again when the
 * course's event arrives: event-handlers.ts).
 */
const CATALOG = "catalog";

/**
 * How long the popular order may be kept: learner counts change with every enrollment, and moving
 * the catalog's version on for each would rewrite one KV key faster than KV takes writes to it
 * (one a second). So a popular page is read again at least every ten minutes (its entry name holds
 * the window it was read in), and at once when the catalog's version moves on.
 */
export const POPULARITY_WINDOW_MS = 10 * 60_000;

/** One entry per distinct query: the same filters in any order share it. */
export function pageName(query: Record<string, string | number | undefined>): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&");
}

/**
 * The entry a catalog read is kept under: every choice of the request, so two requests share an
 * entry only when they read the same page. Built from the request itself (its words folded, its
 * order settled) rather than the query string, so `q=Café` and `q=cafe` share a page, and a new
 * field of `CatalogRequest` is in the key without anyone remembering to add it. The cursor is kept
 * as it was sent. The order is always named, so no entry written before the orders and the
 * prefix search existed (whose names never held one) is ever read again.
 */
export function catalogEntryName(request: CatalogRequest, cursor: string | undefined, now = Date.now()): string {
  const { words, order, ...choices } = request;
  return pageName({
    ...choices,
    q: words.join(" "),
    sort: order,
    // The cursor as it was sent stands for the position decoded from it.
    after: undefined,
    cursor,
    ...(order === "popular" && { window: Math.floor(now / POPULARITY_WINDOW_MS) }),
  });
}

export async function cachedPage<T>(
  kv: CacheStore,
  name: string,
  load: () => Promise<T>,
  store: (write: Promise<void>) => void,
  now = Date.now(),
): Promise<{ page: T; cache: CacheOutcome }> {
  const { value, cache } = await cached(kv, CATALOG, name, load, store, now);
  return { page: value, cache };
}

export async function invalidateCatalog(kv: CacheStore): Promise<void> {
  await moveOn(kv, CATALOG);
}
