import {
  CURRENCIES,
  CURRENCY_CODES,
  MAXIMUM_AMOUNT_MINOR,
  isCurrencyCode,
  type CurrencyCode,
} from "@platform/contracts";

/**
 * A course price as an author types it — an amount in the course's currency, `49.00` or `49,00`
 * beside `EUR` — turned into what the API stores (integer minor units, Stripe's exponents from the
 * platform's one currency table), and back. No floating point on the way: `19.99` is 1999 exactly.
 */

export const PRICE_CURRENCIES: readonly CurrencyCode[] = CURRENCY_CODES;

export type PriceInput =
  | { readonly ok: true; readonly price: { readonly amountMinor: number; readonly currency: CurrencyCode } | null }
  | {
      readonly ok: false;
      readonly field: "amount" | "currency";
      readonly problem: "currency" | "number" | "decimals" | "minimum" | "maximum";
      /** For `decimals`: how many the currency has. */
      readonly decimals?: number;
      /** For `minimum`/`maximum`: the bound, to show as money. */
      readonly bound?: { readonly amountMinor: number; readonly currency: CurrencyCode };
    };

/** `4900, EUR` → `49.00`: what the amount field shows for a stored price. */
export function amountText(amountMinor: number, currency: string): string {
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2;
  const digits = String(amountMinor).padStart(exponent + 1, "0");
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * The price an author entered: an empty amount is a free course (null). Spaces and a thousands
 * separator that cannot be a decimal point (`1 000`, `1'000`) are ignored; one `.` or `,` followed
 * by at most the currency's decimals is the decimal point. Stripe's minimum and maximum are checked
 * here too, so the author reads the reason in their own language before anything is sent.
 */
export function parsePrice(amount: string, currency: string): PriceInput {
  const compact = amount.replace(/[\s'\u00a0\u202f]/g, "");
  if (compact === "") return { ok: true, price: null };
  if (!isCurrencyCode(currency)) return { ok: false, field: "currency", problem: "currency" };
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(compact);
  if (!match) return { ok: false, field: "amount", problem: "number" };
  const [, whole = "", fraction = ""] = match;
  const { exponent, minimumMinor } = CURRENCIES[currency];
  if (fraction.length > exponent) {
    return { ok: false, field: "amount", problem: "decimals", decimals: exponent };
  }
  const digits = (whole + fraction.padEnd(exponent, "0")).replace(/^0+(?=\d)/, "");
  if (digits.length > String(MAXIMUM_AMOUNT_MINOR).length || Number(digits) > MAXIMUM_AMOUNT_MINOR) {
    return { ok: false, field: "amount", problem: "maximum", bound: { amountMinor: MAXIMUM_AMOUNT_MINOR, currency } };
  }
  const amountMinor = Number(digits);
  if (amountMinor < minimumMinor) {
    return { ok: false, field: "amount", problem: "minimum", bound: { amountMinor: minimumMinor, currency } };
  }
  return { ok: true, price: { amountMinor, currency } };
}
