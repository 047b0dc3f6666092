import type { Context } from "hono";

/**
 * Public reads (the catalog, a published course's page, the outline an anonymous visitor sees):
 * an edge cache may keep one for a second and share it (`s-maxage=1`), so a burst of visitors
 * costs one request per second per location, and a change is still seen within about a second.
 * Browsers revalidate every time (`max-age=0`), which the ETag makes a 304 when nothing changed.
 * No `stale-while-revalidate`: it would let an edge serve the old answer once more after the
 * second is up, however long after, and the worker answers a hot read from memory anyway.
 *
 * The gateway turns any answer to a caller with credentials into a private one and adds
 * `Vary: Authorization, Cookie` (workers/gateway/src/cache-policy.ts); this worker says what
 * the answer is.
 */
export const PUBLIC_READ = "public, max-age=0, s-maxage=1";

/** An answer read for this caller (a learner's unlocked lessons, an author's draft): nobody keeps it. */
export const PERSONAL_READ = "private, no-store";

/** `hit`/`miss`: through the shared cache; `bypass`: read for this caller, never from or into it. */
export type CacheHeader = "hit" | "miss" | "bypass";

export function cacheHeaders(c: Context, audience: "public" | "personal", outcome: CacheHeader): void {
  c.header("cache-control", audience === "public" ? PUBLIC_READ : PERSONAL_READ);
  c.header("x-cache", outcome);
}
