import { problemText } from "./account-pages";
import type { ApiResult } from "./api";
import type { Locale } from "../i18n/locales";
import { formatPrice } from "../i18n/messages";
import type { StudioText } from "../i18n/messages/studio";
import type { PriceInput } from "./money-input";

/**
 * What studio pages share when the API refused a form: the status the page answers with (the
 * API's own for a refusal the author can act on, 503 for an outage), and the sentence it shows.
 */
export function pageStatusOf(result: ApiResult<unknown>): number {
  if (result.ok) return 200;
  return [400, 403, 404, 409, 413, 415, 422, 429].includes(result.status) ? result.status : 503;
}

export function refusalText(result: ApiResult<unknown>, unavailable: string): string {
  return problemText(result, { unavailable, fallback: unavailable });
}

/** The price problem found before sending, in the author's language (a bound as money in their locale). */
export function priceProblemText(t: StudioText, locale: Locale, problem: Extract<PriceInput, { ok: false }>): string {
  const words = t.course.priceProblems;
  const bound = problem.bound ? formatPrice(locale, problem.bound) : "";
  switch (problem.problem) {
    case "currency":
      return words.currency;
    case "number":
      return words.number;
    case "decimals":
      return words.decimals(problem.decimals ?? 2);
    case "minimum":
      return words.minimum(bound);
    case "maximum":
      return words.maximum(bound);
  }
}

/** `?done=` after a post/redirect/get, if it is one the page knows. */
export function doneOf<T extends string>(url: URL, known: readonly T[]): T | undefined {
  const value = url.searchParams.get("done");
  return known.find((flag) => flag === value);
}

/**
 * A form the API refused, as its page shows it: the errors that belong beside fields, else the
 * refusal as one sentence; the page answers with the refusal's status (set here). A 401 is not one
 * of these: the page sends the author to sign in again before it asks.
 */
export function formRefusal<F extends string>(
  page: { readonly response: { status?: number } },
  result: ApiResult<unknown>,
  fieldErrors: (result: ApiResult<unknown>) => Partial<Record<F, string>>,
  unavailable: string,
): { errors: Partial<Record<F, string>>; error: string | undefined } {
  page.response.status = pageStatusOf(result);
  const errors = fieldErrors(result);
  return { errors, error: Object.keys(errors).length === 0 ? refusalText(result, unavailable) : undefined };
}
