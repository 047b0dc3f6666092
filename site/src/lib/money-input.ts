import {
  CURRENCIES,
  CURRENCY_CODES,
  MAXIMUM_AMOUNT_MINOR,
  isCurrencyCode,
  type CurrencyCode,
} from "@platform/contracts";

/**
 * Money as people type it into the site's forms — an amount in the currency, `49.00` or `49,00`
 * beside `EUR`, never minor units — turned into what the API stores (integer minor units,
 * Stripe's exponents from the platform's one currency table), and back. No floating point on the
 * way: `19.99` is 1999 exactly. One reader for the studio's course prices and the admin console's
 * plan prices, so `1 000,50` means the same on both.
 */

export const PRICE_CURRENCIES: readonly CurrencyCode[] = CURRENCY_CODES;

type Refusal = {
  readonly ok: false;
  readonly field: "amount" | "currency";
  readonly problem: "currency" | "number" | "decimals" | "minimum" | "maximum";
  /** For `decimals`: how many the currency has. */
  readonly decimals?: number;
  /** For `minimum`/`maximum`: the bound, to show as money. */
  readonly bound?: { readonly amountMinor: number; readonly currency: CurrencyCode };
};

export type PriceInput =
  | { readonly ok: true; readonly price: { readonly amountMinor: number; readonly currency: CurrencyCode } | null }
  | Refusal;

/** `4900, EUR` → `49.00`: what an amount field shows for a stored price. */
export function amountText(amountMinor: number, currency: string): string {
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2;
  const digits = String(amountMinor).padStart(exponent + 1, "0");
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Spaces and a thousands separator that cannot be a decimal point (`1 000`, `1'000`) are ignored. */
const compactOf = (amount: string) => amount.replace(/[\s'\u00a0\u202f]/g, "");

/**
 * A typed, non-empty amount in minor units: one `.` or `,` followed by at most the currency's
 * decimals is the decimal point; more than Stripe's largest amount is refused. The minimum is
 * left to the caller.
 */
function readAmount(
  compact: string,
  currency: string,
): { readonly ok: true; readonly amountMinor: number; readonly currency: CurrencyCode } | Refusal {
  if (!isCurrencyCode(currency)) return { ok: false, field: "currency", problem: "currency" };
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(compact);
  if (!match) return { ok: false, field: "amount", problem: "number" };
  const [, whole = "", fraction = ""] = match;
  const { exponent } = CURRENCIES[currency];
  if (fraction.length > exponent) {
    return { ok: false, field: "amount", problem: "decimals", decimals: exponent };
  }
  const digits = (whole + fraction.padEnd(exponent, "0")).replace(/^0+(?=\d)/, "");
  if (digits.length > String(MAXIMUM_AMOUNT_MINOR).length || Number(digits) > MAXIMUM_AMOUNT_MINOR) {
    return { ok: false, field: "amount", problem: "maximum", bound: { amountMinor: MAXIMUM_AMOUNT_MINOR, currency } };
  }
  return { ok: true, amountMinor: Number(digits), currency };
}

/**
 * A course price as an author entered it: an empty amount is a free course (null). Stripe's
 * minimum and maximum are checked here too, so the author reads the reason in their own language
 * before anything is sent.
 */
export function parsePrice(amount: string, currency: string): PriceInput {
  const compact = compactOf(amount);
  if (compact === "") return { ok: true, price: null };
  const read = readAmount(compact, currency);
  if (!read.ok) return read;
  const { minimumMinor } = CURRENCIES[read.currency];
  if (read.amountMinor < minimumMinor) {
    return {
      ok: false,
      field: "amount",
      problem: "minimum",
      bound: { amountMinor: minimumMinor, currency: read.currency },
    };
  }
  return { ok: true, price: { amountMinor: read.amountMinor, currency: read.currency } };
}

/**
 * A plan price as an admin typed it, in minor units, or undefined when it is not an amount in
 * this currency (empty included: a plan always has a price). The same reading as `parsePrice`,
 * but the currency's minimum is left to the API, whose own sentence the console shows beside the
 * field.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const compact = compactOf(text);
  if (compact === "") return undefined;
  const read = readAmount(compact, currency);
  return read.ok ? read.amountMinor : undefined;
}
