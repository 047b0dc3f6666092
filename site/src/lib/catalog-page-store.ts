import { env } from "cloudflare:workers";
import { apiFetch } from "./api";
import type { SharedSource } from "./catalog-shared-reads";

/**
 * The site's page cache: whole rendered pages that are the same for every signed-out visitor (home,
 * catalog, course pages, certificates), kept in the Workers Cache API (`caches.default`) under the
 * page's address and language, with the API answers they were rendered from (their ETags).
 *
 * A kept page is served again without rendering it or reading the API when it was confirmed
 * within the last second (in this isolate); otherwise it is confirmed first: every source is asked
 * again with `If-None-Match`, and only when all answer 304 is the page still good. The API's public
 * reads follow the courses service's cache generations, which its writes and events move on, so a
 * changed course shows on its page within about a second, event-driven, with no timer to wait out
 * and nothing in the site that knows which page shows which course. See docs/site.md.
 */

/** How long a confirmed page is served without asking the API again: the API's own version memo. */
export const CONFIRMED_FOR_MS = 1_000;
/** How long the Cache API keeps an entry at most (they are confirmed on use, so this only bounds storage). */
const KEPT_FOR_SECONDS = 3_600;
/** A source that does not answer within this is treated as unreachable (the kept page is served stale). */
const PROBE_TIMEOUT_MS = 2_000;
const CONFIRMATIONS_IN_MEMORY = 1_024;

/**
 * Internal headers of a kept entry: the page's own Cache-Control and Vary (the entry's own say how
 * the Cache API keeps it, and its key already holds the language), and its sources.
 */
const PAGE_CACHE_CONTROL = "x-site-page-cache-control";
const PAGE_VARY = "x-site-page-vary";
const SOURCES_HEADER = "x-site-sources";
/** What the site answers on every page: how the page cache was involved. */
export const SITE_CACHE_HEADER = "x-site-cache";

export type SiteCacheOutcome = "hit" | "stale" | "miss" | "bypass";

/** The parts of the Workers runtime's cache this store uses (`caches.default`). */
interface EdgeCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
  delete(key: string): Promise<boolean>;
}

function defaultCache(): EdgeCache | undefined {
  const storage = (globalThis as { caches?: { default?: EdgeCache } }).caches;
  return storage?.default;
}

/**
 * The deployed version, so a new deploy never serves pages that name the previous build's script
 * and stylesheet files. The `CF_VERSION_METADATA` binding gives it when configured; without it,
 * each isolate keeps pages of its own (correct, only shared less).
 */
let isolateVersion: string | undefined;
function siteVersion(): string {
  const metadata = (env as { CF_VERSION_METADATA?: { id?: string } }).CF_VERSION_METADATA;
  // Made on first use: the Workers runtime allows no random values at a module's top level.
  isolateVersion ??= crypto.randomUUID();
  return metadata?.id || isolateVersion;
}

/**
 * Shared pages that read nothing from their query (home, a course, a certificate): a link's
 * `?utm_source=…` must neither miss the kept page nor fill the cache with copies of it. The
 * catalog's query is its list (and it redirects other spellings to one address).
 */
const QUERY_FREE_PAGES = [/^\/$/, /^\/courses\/[^/]+$/, /^\/certificates\/[^/]+$/];

/**
 * The entry's key: the page's address (its query in a stable order, where it matters) and its
 * language, under the site's own origin and version. Only the path and query come from the visitor.
 */
export function pageKey(url: URL, locale: string, version = siteVersion()): string {
  const queryFree = QUERY_FREE_PAGES.some((page) => page.test(url.pathname));
  const query = queryFree ? [] : [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const search = new URLSearchParams(query).toString();
  return `${url.origin}/__site-cache/${encodeURIComponent(version)}/${locale}${url.pathname}${search ? `?${search}` : ""}`;
}

/** When each kept page was last confirmed in this isolate (least recently confirmed first). */
const confirmedAt = new Map<string, number>();

function noteConfirmed(key: string, now: number): void {
  confirmedAt.delete(key);
  confirmedAt.set(key, now);
  if (confirmedAt.size > CONFIRMATIONS_IN_MEMORY) {
    const oldest = confirmedAt.keys().next().value;
    if (oldest !== undefined) confirmedAt.delete(oldest);
  }
}

function readSources(entry: Response): SharedSource[] | undefined {
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(entry.headers.get(SOURCES_HEADER) ?? ""));
    if (!Array.isArray(parsed)) return undefined;
    return parsed.filter(
      (item): item is SharedSource =>
        typeof item === "object" && item !== null && typeof item.path === "string" && typeof item.etag === "string",
    );
  } catch {
    return undefined;
  }
}

type SourceState = "same" | "changed" | "unreachable";

/** Asks the API whether a source still answers what the page was rendered from. */
async function probe(visitorRequest: Request, source: SharedSource): Promise<SourceState> {
  try {
    const answer = await apiFetch(visitorRequest, source.path, {
      headers: { accept: "application/json", "if-none-match": source.etag ?? "" },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await answer.body?.cancel();
    if (answer.status === 304) return "same";
    if (answer.status === 200) return answer.headers.get("etag") === source.etag ? "same" : "changed";
    // The API cannot say now (overloaded, down): the kept page is better than an error page.
    if (answer.status === 429 || answer.status >= 500) return "unreachable";
    return "changed";
  } catch {
    return "unreachable";
  }
}

/** The page as it goes to the visitor: its own headers back, the store's internal ones gone. */
function served(entry: Response, outcome: SiteCacheOutcome): Response {
  const headers = new Headers(entry.headers);
  const pageCacheControl = headers.get(PAGE_CACHE_CONTROL);
  const pageVary = headers.get(PAGE_VARY);
  for (const internal of [PAGE_CACHE_CONTROL, PAGE_VARY, SOURCES_HEADER]) headers.delete(internal);
  if (pageCacheControl) headers.set("cache-control", pageCacheControl);
  else headers.delete("cache-control");
  if (pageVary) headers.set("vary", pageVary);
  headers.set(SITE_CACHE_HEADER, outcome);
  return new Response(entry.body, { status: entry.status, headers });
}

export interface PageStore {
  /** The kept page if it is still good (or the API cannot tell and it is all there is), else undefined. */
  lookup(): Promise<Response | undefined>;
  /** Keeps a rendered page; answers it as it goes to the visitor. */
  keep(response: Response, sources: readonly SharedSource[]): Promise<Response>;
  /** Forgets the kept page, if the lookup found one (its sources changed and the page now rendered is not kept). */
  forget(): Promise<void>;
}

export function pageStore(request: Request, url: URL, locale: string, now = () => Date.now()): PageStore | undefined {
  const cache = defaultCache();
  if (!cache) return undefined;
  const key = pageKey(url, locale);
  let found = false;
  return {
    async lookup() {
      let entry: Response | undefined;
      try {
        entry = await cache.match(key);
      } catch {
        return undefined;
      }
      if (!entry) return undefined;
      found = true;
      const sources = readSources(entry);
      if (!sources) {
        await entry.body?.cancel();
        return undefined;
      }
      const confirmed = confirmedAt.get(key);
      if (confirmed !== undefined && now() - confirmed < CONFIRMED_FOR_MS) return served(entry, "hit");
      const states = await Promise.all(sources.map((source) => probe(request, source)));
      if (states.includes("changed")) {
        confirmedAt.delete(key);
        await entry.body?.cancel();
        return undefined;
      }
      if (states.includes("unreachable")) return served(entry, "stale");
      noteConfirmed(key, now());
      return served(entry, "hit");
    },

    async keep(response, sources) {
      const html = await response.text();
      const headers = new Headers(response.headers);
      headers.delete("set-cookie");
      headers.delete(SITE_CACHE_HEADER);
      const pageCacheControl = headers.get("cache-control");
      if (pageCacheControl) headers.set(PAGE_CACHE_CONTROL, pageCacheControl);
      const pageVary = headers.get("vary");
      headers.delete("vary");
      if (pageVary) headers.set(PAGE_VARY, pageVary);
      headers.set("cache-control", `public, max-age=${KEPT_FOR_SECONDS}`);
      headers.set(SOURCES_HEADER, encodeURIComponent(JSON.stringify(sources)));
      try {
        await cache.put(key, new Response(html, { status: response.status, headers }));
        noteConfirmed(key, now());
      } catch {
        // Not kept (the cache refused it): the page still goes out, rendered.
      }
      const sent = new Response(html, { status: response.status, headers: response.headers });
      sent.headers.set(SITE_CACHE_HEADER, "miss");
      return sent;
    },

    async forget() {
      if (!found) return;
      confirmedAt.delete(key);
      try {
        await cache.delete(key);
      } catch {
        // Nothing kept, or the cache is unreachable: its entry ages out.
      }
    },
  };
}
