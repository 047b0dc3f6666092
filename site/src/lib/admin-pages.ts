import type { ApiResult } from "./api";
import { problemText } from "./account-pages";
import type { Session } from "./session";

/**
 * What every admin page does first, and how it words what the API refused. The site decides
 * only what to show: the API checks the admin role again on every call (a page is no
 * authorization), so a token whose role was taken away meanwhile is refused there.
 */

interface GateContext {
  readonly url: URL;
  readonly locals: { readonly session: Session | null };
  redirect(path: string, status: 303): Response;
  rewrite(path: string): Promise<Response>;
}

export const isAdmin = (session: Session | null | undefined): boolean => session?.roles.includes("admin") ?? false;

/**
 * The answer for a visitor who may not see an admin page: a signed-out visitor signs in first
 * (and comes back); a signed-in one without the admin role gets the 403 page, for a page view or
 * a form post alike, before the page reads or changes anything. Undefined: an admin, go on.
 */
export function refuseNonAdmins(context: GateContext): Response | Promise<Response> | undefined {
  const session = context.locals.session;
  if (!session) {
    return context.redirect(`/signin?returnTo=${encodeURIComponent(context.url.pathname + context.url.search)}`, 303);
  }
  if (!isAdmin(session)) return context.rewrite("/admin/forbidden");
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a form or a query that may go into an API path: a UUID and nothing else. */
export function uuidOf(value: string | null | undefined): string | undefined {
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** The interface's words for a refusal: the API's `detail` (written for people), or ours for outages. */
export interface RefusalWords {
  readonly unavailable: string;
  readonly throttled: (seconds: number | undefined) => string;
  readonly refused: string;
}

export function refusalText(result: ApiResult<unknown>, words: RefusalWords): string {
  return problemText(result, { unavailable: words.unavailable, throttled: words.throttled, fallback: words.refused });
}

/** The status a page answers after the API refused its form: the API's own, an outage as 503. */
export const refusalStatus = (result: ApiResult<unknown>): number => (result.status >= 500 ? 503 : result.status);

/**
 * This page's address with some query parameters changed (undefined removes one) and the
 * one-shot ones (`done`, a confirmation step) always dropped: for links and form actions.
 */
export function hrefWith(url: URL, changes: Record<string, string | undefined> = {}, hash = ""): string {
  const params = new URLSearchParams(url.search);
  for (const name of ["done", "confirm", "refund", "resolve", "edit", "retire", "disable", "remove"]) {
    params.delete(name);
  }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === "") params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ""}${hash}`;
}

/** A date and time in the visitor's language, e.g. `1 Dec 2026, 14:05` / `01.12.2026, 14:05`. */
export function formatDateTime(locale: string, iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}
