import type { AstroCookies } from "astro";
import type { ApiResult } from "./api";
import { retryAfterSeconds } from "./forms";
import { clearSession } from "./session-cookies";

/**
 * Where a signed-out visitor of a personal page goes: the sign-in page, which brings them back to
 * the page they asked for (path and query only; `safeReturnTo` checks it again on the way back).
 */
export function signInFirst(url: URL): string {
  return `/signin?returnTo=${encodeURIComponent(url.pathname + url.search)}`;
}

interface PageContext {
  readonly cookies: AstroCookies;
  readonly url: URL;
  redirect(path: string, status: 303): Response;
}

/**
 * The API refused the session (401): it ended elsewhere (signed out everywhere, the password
 * changed on another device, the account erased) while its cookies still looked fine. The cookies
 * go, and the visitor signs in again and comes back here.
 */
export function signInAgain(context: PageContext): Response {
  clearSession(context.cookies);
  return context.redirect(signInFirst(context.url), 303);
}

/** What a page shows when the API refused a form: the interface's own words where it has them. */
export interface ProblemWords {
  /** The API could not be reached or failed (5xx, a timeout). */
  readonly unavailable: string;
  /** Too many attempts (429), with the wait the API asked for. */
  readonly throttled?: (seconds: number | undefined) => string;
  /** Used when the API gave no `detail`. */
  readonly fallback: string;
}

/**
 * A readable sentence for a failed API call: never raw JSON. The API's `detail` is written for
 * people (RFC 9457), so a refusal shows it; outages and throttling get the interface's own text.
 */
export function problemText(result: ApiResult<unknown>, words: ProblemWords): string {
  if (result.ok) return "";
  if (result.status === 429 && words.throttled) return words.throttled(retryAfterSeconds(result.headers));
  if (result.status >= 500) return words.unavailable;
  return result.problem.detail ?? words.fallback;
}

/** A `?done=` value after a post/redirect/get, if it is one the page knows. */
export function doneFlag<T extends string>(url: URL, known: readonly T[]): T | undefined {
  const value = url.searchParams.get("done");
  return known.find((flag) => flag === value);
}
