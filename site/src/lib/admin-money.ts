import { CURRENCIES, isCurrencyCode } from "@platform/contracts";

/**
 * Prices as admins type them: money in the currency (`19.00`, `19,00`, `19`), never minor units.
 * The API checks the amount against the currency's minimum; this only reads what was typed.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  if (!isCurrencyCode(currency)) return undefined;
  const { exponent } = CURRENCIES[currency];
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.trim().replace(/[\s\u00a0']/g, ""));
  if (!match) return undefined;
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > exponent) return undefined;
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** An amount in minor units as the price field shows it back: `1900` EUR → `19.00`. */
export function amountText(amountMinor: number, currency: string): string {
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2;
  return (amountMinor / 10 ** exponent).toFixed(exponent);
}
