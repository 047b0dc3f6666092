import type { MiddlewareHandler } from "astro";

/**
 * Who may keep a copy of a page. A page the same for every signed-out visitor says so
 * (`Astro.locals.sharedCache`) and, for a visitor with no session, is cacheable at the edge for
 * a short while and served stale while it refreshes. Everything else (a signed-in visitor's pages
 * show their name; personal pages their data) is `private, no-store`.
 */
export const setPageCaching: MiddlewareHandler = async (context, next) => {
  const response = await next();
  if (response.headers.has("cache-control")) return response;
  const shared = context.locals.sharedCache;
  const cookieLanguage = context.cookies.get("el_locale")?.value;
  if (shared && !context.locals.session && !cookieLanguage && response.status === 200) {
    response.headers.set(
      "cache-control",
      `public, max-age=0, s-maxage=${shared.sMaxAge}, stale-while-revalidate=${shared.staleWhileRevalidate}`,
    );
    // The language follows the browser's: a shared copy is one per language.
    response.headers.append("vary", "Accept-Language");
  } else {
    response.headers.set("cache-control", "private, no-store");
  }
  return response;
};
