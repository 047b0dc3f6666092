import { CURRENCIES, isCurrencyCode } from "@platform/contracts";
import { DEFAULT_LOCALE, type Locale } from "./locales";

/**
 * One area's interface text in every language: English is the shape, the others must have
 * every key (a missing translation is a type error, not a blank on the page). Values are strings
 * or functions for text with values in it. Each area of the site keeps its own file under
 * `messages/`, so pages load only what they show.
 */
export type Messages<T> = { readonly [L in Locale]: T };

/** The text of an area in the visitor's language (pages read `Astro.locals.locale`). */
export function messagesFor<T>(locale: Locale, messages: Messages<T>): T {
  return messages[locale] ?? messages[DEFAULT_LOCALE];
}

/**
 * Money in the visitor's locale: `{ amountMinor: 4900, currency: "EUR" }` → `€49.00` in English,
 * `49,00 €` in German. Minor units follow the platform's currency table (Stripe's exponents).
 */
export function formatPrice(locale: Locale, price: { amountMinor: number; currency: string }): string {
  const exponent = isCurrencyCode(price.currency) ? CURRENCIES[price.currency].exponent : 2;
  return new Intl.NumberFormat(locale, { style: "currency", currency: price.currency }).format(
    price.amountMinor / 10 ** exponent,
  );
}

/** A date in the visitor's locale, e.g. `1 Dec 2026` / `1. Dez. 2026`. */
export function formatDate(locale: Locale, iso: string | Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
}
