import type { APIContext, MiddlewareHandler } from "astro";
import { pageStore, SITE_CACHE_HEADER, type PageStore } from "../lib/catalog-page-store";
import { sourcesOf } from "../lib/catalog-shared-reads";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../lib/session-cookies";

/** The cookie that keeps a signed-out visitor's chosen language (pages/language.ts). */
const LOCALE_COOKIE = "el_locale";

/**
 * Whether this request may be answered from, and fill, the site's page cache: a page view by a
 * signed-out visitor carrying no session cookies at all (a visitor whose session just ended may
 * be sent cookie deletions, which a kept page would not carry).
 */
function mayUsePageCache(context: APIContext): boolean {
  return (
    context.request.method === "GET" &&
    !context.locals.session &&
    !context.cookies.has(ACCESS_COOKIE) &&
    !context.cookies.has(REFRESH_COOKIE)
  );
}

/**
 * Who may keep a copy of a page, and the site's own copy of it. A page the same for every
 * signed-out visitor says so (`Astro.locals.sharedCache`, reading the API through
 * `sharedRead`). For a signed-out visitor it is then:
 * - served from the site's page cache (lib/catalog-page-store.ts) while the API answers it was
 *   rendered from are unchanged, and kept there after rendering (`x-site-cache: hit|stale|miss`);
 * - cacheable at the edge for a short while and served stale while it refreshes (`Cache-Control`
 *   with `s-maxage` and `stale-while-revalidate`), unless the visitor chose a language by cookie:
 *   that page is shared through the site's cache (its key holds the language) but marked private.
 * Everything else (a signed-in visitor's pages show their name; personal pages their data) is
 * `private, no-store` and `x-site-cache: bypass`.
 */
export const setPageCaching: MiddlewareHandler = async (context, next) => {
  const store: PageStore | undefined = mayUsePageCache(context)
    ? pageStore(context.request, context.url, context.locals.locale)
    : undefined;
  const kept = await store?.lookup();
  if (kept) return kept;

  const response = await next();
  const shared = context.locals.sharedCache;
  const shareable = shared !== undefined && store !== undefined && response.status === 200;
  if (!response.headers.has("cache-control")) {
    if (shareable && !context.cookies.has(LOCALE_COOKIE)) {
      response.headers.set(
        "cache-control",
        `public, max-age=0, s-maxage=${shared.sMaxAge}, stale-while-revalidate=${shared.staleWhileRevalidate}`,
      );
      // The language follows the browser's: a shared copy is one per language.
      response.headers.append("vary", "Accept-Language");
    } else {
      response.headers.set("cache-control", "private, no-store");
    }
  }
  const sources = sourcesOf(context.request);
  const confirmable = sources.every((source) => source.etag !== null);
  const isPage = (response.headers.get("content-type") ?? "").startsWith("text/html");
  if (store && shareable && confirmable && isPage && !response.headers.has("set-cookie")) {
    return store.keep(response, sources);
  }
  await store?.forget();
  response.headers.set(SITE_CACHE_HEADER, "bypass");
  return response;
};
