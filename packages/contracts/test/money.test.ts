import { describe, expect, it } from "vitest";
import { CURRENCIES, CURRENCY_CODES, LOWEST_MINIMUM_MINOR, formatMinor, priceProblem } from "../src/money.ts";

/** The one currency table: well-formed, and read the way Stripe reads amounts. */
describe("the currency table", () => {
  it("holds ISO 4217 codes in capitals, each with a positive minimum", () => {
    for (const code of CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(CURRENCIES[code].minimumMinor).toBeGreaterThan(0);
    }
    expect(LOWEST_MINIMUM_MINOR).toBe(30);
  });

  it("formats minimums in the currency's own units (JPY has no minor unit)", () => {
    expect(formatMinor(50, "EUR")).toBe("0.50 EUR");
    expect(formatMinor(50, "JPY")).toBe("50 JPY");
    expect(formatMinor(17_500, "HUF")).toBe("175.00 HUF");
  });

  it("accepts each currency's minimum and refuses one unit under it, an unknown code, or a fraction", () => {
    for (const code of CURRENCY_CODES) {
      const { minimumMinor } = CURRENCIES[code];
      expect(priceProblem({ amountMinor: minimumMinor, currency: code }), code).toBeNull();
      expect(priceProblem({ amountMinor: minimumMinor - 1, currency: code })?.path, code).toBe("amountMinor");
    }
    expect(priceProblem({ amountMinor: 1900, currency: "ZZZ" })?.path).toBe("currency");
    expect(priceProblem({ amountMinor: 1900, currency: "eur" })?.path).toBe("currency");
    expect(priceProblem({ amountMinor: 1900, currency: "toString" })?.path).toBe("currency");
    expect(priceProblem({ amountMinor: 99.5, currency: "EUR" })?.path).toBe("amountMinor");
    expect(priceProblem({ amountMinor: 100_000_000, currency: "EUR" })?.path).toBe("amountMinor");
  });
});
