import { messagesFor } from "../i18n/messages";
import type { Locale } from "../i18n/locales";
import { adminMessages } from "../i18n/messages/admin";
import { doneFlag, problemText, signInFirst } from "./account-pages";
import type { ApiResult } from "./api";
import type { Session } from "./session";

/**
 * What every admin page does first, and how it words what the API refused. The site decides
 * only what to show: the API checks the admin role again on every call (a page is no
 * authorization), so a token whose role was taken away meanwhile is refused there.
 */

/** The console's sections past its front page, in the order its tabs and the front page's cards show them. */
export const ADMIN_SECTIONS = [
  { key: "users", href: "/admin/users" },
  { key: "providers", href: "/admin/providers" },
  { key: "plans", href: "/admin/plans" },
  { key: "payments", href: "/admin/payments" },
  { key: "mismatches", href: "/admin/mismatches" },
  { key: "deadLetters", href: "/admin/dead-letters" },
  { key: "apiKeys", href: "/admin/api-keys" },
] as const;
export type AdminSection = "overview" | (typeof ADMIN_SECTIONS)[number]["key"];

export type AdminText = (typeof adminMessages)[Locale];

interface PageContext {
  readonly url: URL;
  readonly locals: { readonly session: Session | null; readonly locale: Locale };
  readonly response: { status?: number };
  redirect(path: string, status: 303): Response;
  rewrite(path: string): Promise<Response>;
}

export const isAdmin = (session: Session | null | undefined): boolean => session?.roles.includes("admin") ?? false;

/** Why a form was not done, as the page shows it above its content (`state` is for tests). */
export interface Refusal {
  readonly title: string;
  readonly detail: string;
  readonly state: string;
}

export interface AdminPage {
  readonly locale: Locale;
  readonly t: AdminText;
  /** A form the API refused: its words, and the page answers with the API's status (an outage as 503). */
  refusal(result: ApiResult<unknown>, state: string, title?: string): Refusal;
  /** A form the page cannot act on (an unknown intent, an id that is not one): a 400 that says the page moved on. */
  invalid(): Refusal;
}

/**
 * The answer for a visitor who may not see an admin page: a signed-out visitor signs in first
 * (and comes back); a signed-in one without the admin role gets the 403 page, for a page view or
 * a form post alike, before the page reads or changes anything. Undefined: an admin, go on.
 */
export function refuseNonAdmins(context: PageContext): Response | Promise<Response> | undefined {
  const session = context.locals.session;
  if (!session) return context.redirect(signInFirst(context.url), 303);
  if (!isAdmin(session)) return context.rewrite("/admin/forbidden");
  return undefined;
}

/**
 * Opens an admin page past the gate, or answers instead of it (the page returns that Response).
 * The form is the page's to read, after this: the 403 rewrite carries the request's body along.
 */
export async function openAdminPage(context: PageContext): Promise<Response | AdminPage> {
  const refused = refuseNonAdmins(context);
  if (refused) return await refused;
  const locale = context.locals.locale;
  const t = messagesFor(locale, adminMessages);
  return {
    locale,
    t,
    refusal(result, state, title = t.refused) {
      context.response.status = refusalStatus(result);
      return { title, detail: refusalText(result, t), state };
    },
    invalid() {
      context.response.status = 400;
      return { title: t.refused, detail: t.stale, state: "invalid" };
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a form or a query that may go into an API path: a UUID and nothing else. */
export function uuidOf(value: string | null | undefined): string | undefined {
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** The interface's words for a refusal: the API's `detail` (written for people), or ours for outages. */
export function refusalText(result: ApiResult<unknown>, t: AdminText): string {
  return problemText(result, { unavailable: t.unavailable, throttled: t.throttled, fallback: t.refused });
}

/** The status a page answers after the API refused its form: the API's own, an outage as 503. */
export const refusalStatus = (result: ApiResult<unknown>): number => (result.status >= 500 ? 503 : result.status);

/** What was just done, after a post/redirect/get (`state` is the `?done=` flag, for tests). */
export interface DoneNote {
  readonly state: string;
  readonly text: string;
}

/** The `?done=` flag, if it is one of `texts`' keys, with its words. */
export function doneNote(url: URL, texts: Readonly<Record<string, string>>): DoneNote | undefined {
  const state = doneFlag(url, Object.keys(texts));
  return state === undefined ? undefined : { state, text: texts[state] ?? "" };
}

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
