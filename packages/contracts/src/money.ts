/**
 * What a price may be, for every service that stores or charges one (course prices in the courses
 * service, plans and purchases in the payments service): one table, so the author who sets a
 * price and the checkout that charges it agree.
 *
 * Source: Stripe's documented minimum charge amounts, "Supported currencies → Minimum and maximum
 * charge amounts" (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts), and its
 * list of zero-decimal currencies (https://docs.stripe.com/currencies#zero-decimal), as of 2026.
 * Stripe charges in more presentment currencies than these, but for the others its minimum is "the
 * equivalent of 0.50 USD in the settlement currency", which moves with the exchange rate and cannot
 * be checked when a price is written; only currencies with a fixed, documented minimum are offered.
 * BGN is left out (Bulgaria adopted the euro on 1 January 2026) and HRK too (Croatia, 2023).
 * To offer another currency, add its row from that page and say so in docs/payments.md.
 */
export interface CurrencyRule {
  /** Digits after the decimal point in Stripe's API amounts: 2 means amounts are in cents. */
  readonly exponent: 0 | 2;
  /** Stripe's minimum charge, in minor units (exponent 2: 50 = 0.50). */
  readonly minimumMinor: number;
}

export const CURRENCIES = {
  AED: { exponent: 2, minimumMinor: 200 },
  AUD: { exponent: 2, minimumMinor: 50 },
  BRL: { exponent: 2, minimumMinor: 50 },
  CAD: { exponent: 2, minimumMinor: 50 },
  CHF: { exponent: 2, minimumMinor: 50 },
  CZK: { exponent: 2, minimumMinor: 1500 },
  DKK: { exponent: 2, minimumMinor: 250 },
  EUR: { exponent: 2, minimumMinor: 50 },
  GBP: { exponent: 2, minimumMinor: 30 },
  HKD: { exponent: 2, minimumMinor: 400 },
  // Stripe's API counts forint in fillér (two decimals), though payouts are in whole forints.
  HUF: { exponent: 2, minimumMinor: 17500 },
  INR: { exponent: 2, minimumMinor: 50 },
  JPY: { exponent: 0, minimumMinor: 50 },
  MXN: { exponent: 2, minimumMinor: 1000 },
  MYR: { exponent: 2, minimumMinor: 200 },
  NOK: { exponent: 2, minimumMinor: 300 },
  NZD: { exponent: 2, minimumMinor: 50 },
  PLN: { exponent: 2, minimumMinor: 200 },
  RON: { exponent: 2, minimumMinor: 200 },
  SEK: { exponent: 2, minimumMinor: 300 },
  SGD: { exponent: 2, minimumMinor: 50 },
  THB: { exponent: 2, minimumMinor: 1000 },
  USD: { exponent: 2, minimumMinor: 50 },
} as const satisfies Record<string, CurrencyRule>;

export type CurrencyCode = keyof typeof CURRENCIES;

export const CURRENCY_CODES = Object.keys(CURRENCIES) as CurrencyCode[];

/** Stripe's largest amount: eight digits of minor units. */
export const MAXIMUM_AMOUNT_MINOR = 99_999_999;

export const isCurrencyCode = (code: string): code is CurrencyCode => Object.hasOwn(CURRENCIES, code);

/** An amount in minor units as people read it, e.g. `0.50 EUR`, `50 JPY`. */
export function formatMinor(amountMinor: number, currency: CurrencyCode): string {
  const { exponent } = CURRENCIES[currency];
  return `${(amountMinor / 10 ** exponent).toFixed(exponent)} ${currency}`;
}

/** No currency we charge in allows less: a schema can refuse smaller amounts before it knows the currency. */
export const LOWEST_MINIMUM_MINOR = Math.min(...Object.values(CURRENCIES).map((rule) => rule.minimumMinor));

export interface PriceProblem {
  readonly path: "amountMinor" | "currency";
  readonly message: string;
}

/** Why we cannot charge in this currency, or null when we can. */
export function currencyProblem(currency: string): string | null {
  return isCurrencyCode(currency)
    ? null
    : `${currency} is not a currency we charge in; use one of ${CURRENCY_CODES.join(", ")}`;
}

/** Why this amount cannot be charged in this (known) currency, or null when it can. */
export function amountProblem(amountMinor: number, currency: CurrencyCode): string | null {
  const { minimumMinor } = CURRENCIES[currency];
  if (!Number.isInteger(amountMinor)) return "the amount must be a whole number of minor units";
  if (amountMinor < minimumMinor) {
    return (
      `the amount must be at least ${minimumMinor} minor units (${formatMinor(minimumMinor, currency)}), ` +
      `the smallest charge Stripe accepts in ${currency}`
    );
  }
  if (amountMinor > MAXIMUM_AMOUNT_MINOR) return `the amount must be at most ${MAXIMUM_AMOUNT_MINOR} minor units`;
  return null;
}

/**
 * Why a price cannot be charged, or null when it can: a currency from the table above, and a
 * whole number of minor units from that currency's minimum up to Stripe's maximum.
 */
export function priceProblem(price: { readonly amountMinor: number; readonly currency: string }): PriceProblem | null {
  if (!isCurrencyCode(price.currency)) return { path: "currency", message: currencyProblem(price.currency) ?? "" };
  const amount = amountProblem(price.amountMinor, price.currency);
  return amount ? { path: "amountMinor", message: amount } : null;
}
