import { describe, expect, it } from "vitest";
import { amountText, parseAmount, parsePrice } from "../src/lib/money-input.ts";

/**
 * The one reader of typed money, for the studio's course prices and the console's plan prices:
 * the same text means the same amount on both, and only the studio checks the minimum itself.
 */
describe("parsePrice (the studio's course prices)", () => {
  it.each([
    ["49.00", "EUR", 4900],
    ["49,00", "EUR", 4900],
    ["19.99", "EUR", 1999],
    ["1 000", "EUR", 100000],
    ["1'000,5", "EUR", 100050],
    ["50", "JPY", 50],
  ])("reads %s %s as %i minor units, without floating point", (typed, currency, amountMinor) => {
    expect(parsePrice(typed, currency)).toEqual({ ok: true, price: { amountMinor, currency } });
  });

  it("reads an empty amount as a free course", () => {
    expect(parsePrice("  ", "EUR")).toEqual({ ok: true, price: null });
  });

  it("says why it refuses: not a number, too many decimals, under the minimum, over the maximum, no such currency", () => {
    expect(parsePrice("twelve", "EUR")).toMatchObject({ ok: false, field: "amount", problem: "number" });
    expect(parsePrice("19.999", "EUR")).toMatchObject({ ok: false, problem: "decimals", decimals: 2 });
    expect(parsePrice("1.5", "JPY")).toMatchObject({ ok: false, problem: "decimals", decimals: 0 });
    expect(parsePrice("0.10", "EUR")).toMatchObject({
      ok: false,
      problem: "minimum",
      bound: { amountMinor: 50, currency: "EUR" },
    });
    expect(parsePrice("1000000", "EUR")).toMatchObject({ ok: false, problem: "maximum" });
    expect(parsePrice("10", "ZZZ")).toMatchObject({ ok: false, field: "currency", problem: "currency" });
  });
});

describe("parseAmount (the console's plan prices)", () => {
  it("reads what parsePrice reads", () => {
    expect(parseAmount("190,00", "EUR")).toBe(19000);
    expect(parseAmount("1 000", "JPY")).toBe(1000);
  });

  it("leaves the minimum to the API, whose sentence the console shows", () => {
    expect(parseAmount("0.10", "EUR")).toBe(10);
  });

  it("refuses an empty amount, a word, too many decimals, too much and an unknown currency", () => {
    for (const [typed, currency] of [
      ["", "EUR"],
      ["twelve", "EUR"],
      ["19.999", "EUR"],
      ["1000000", "EUR"],
      ["10", "ZZZ"],
    ] as const) {
      expect(parseAmount(typed, currency), `${typed} ${currency}`).toBeUndefined();
    }
  });
});

describe("amountText", () => {
  it("shows minor units as the amount field's text, by the currency's exponent", () => {
    expect(amountText(4900, "EUR")).toBe("49.00");
    expect(amountText(5, "EUR")).toBe("0.05");
    expect(amountText(50, "JPY")).toBe("50");
  });
});
