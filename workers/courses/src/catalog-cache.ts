import { v7 as uuidv7 } from "uuid";

/**
 * Catalog pages in KV under a generation: a COURSE_PUBLISHED or COURSE_UPDATED event moves the
 * generation on, and every page cached before it is simply never read again (they expire on
 * their own a day later). Invalidation is driven by the event, not by the expiry. KV is
 * eventually consistent: other locations see the new generation within about a minute.
 */
const GENERATION_KEY = "catalog:generation";
const PAGE_TTL_SECONDS = 86_400;

export type CacheOutcome = "hit" | "miss";

/** One key per distinct query: the same filters in any order share it. */
export function pageKey(generation: string, query: Record<string, string | number | undefined>): string {
  const canonical = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `catalog:${generation}:${canonical}`;
}

export async function cachedPage<T>(
  kv: KVNamespace,
  query: Record<string, string | number | undefined>,
  load: () => Promise<T>,
  store: (write: Promise<void>) => void,
): Promise<{ page: T; cache: CacheOutcome }> {
  const generation = (await kv.get(GENERATION_KEY)) ?? "initial";
  const key = pageKey(generation, query);
  const cached = await kv.get<T>(key, "json");
  if (cached !== null) return { page: cached, cache: "hit" };
  const page = await load();
  store(kv.put(key, JSON.stringify(page), { expirationTtl: PAGE_TTL_SECONDS }));
  return { page, cache: "miss" };
}

export async function invalidateCatalog(kv: KVNamespace): Promise<void> {
  await kv.put(GENERATION_KEY, uuidv7());
}
