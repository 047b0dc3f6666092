import { z } from "@hono/zod-openapi";
import {
  CURRENCY_CODES,
  LOWEST_MINIMUM_MINOR,
  MAXIMUM_AMOUNT_MINOR,
  amountProblem,
  currencyProblem,
  isCurrencyCode,
} from "@platform/contracts";

/**
 * A price we can charge, checked on every write (course prices, plans), not only when it is
 * used: an ISO 4217 currency we charge in and at least that currency's minimum charge, from the
 * one table in packages/contracts/src/money.ts. `component` names it in the worker's OpenAPI
 * document (each worker registers its own; the gateway merges them).
 */
export function chargeablePriceSchema(component: string) {
  return (
    z
      .object({
        amountMinor: z.int().min(LOWEST_MINIMUM_MINOR).max(MAXIMUM_AMOUNT_MINOR).openapi({
          description: "Integer minor units (cents), at least the currency's minimum charge",
          example: 4900,
        }),
        currency: z
          .string()
          .superRefine((currency, context) => {
            const problem = currencyProblem(currency);
            if (problem) context.addIssue({ code: "custom", message: problem });
          })
          .openapi({
            description: "ISO 4217, in capitals: a currency we charge in",
            enum: CURRENCY_CODES,
            example: "EUR",
          }),
      })
      // The minimum depends on the currency: checked once both fields are valid on their own.
      .superRefine((price, context) => {
        const { amountMinor, currency } = price;
        const fieldsValid =
          Number.isInteger(amountMinor) && amountMinor >= LOWEST_MINIMUM_MINOR && amountMinor <= MAXIMUM_AMOUNT_MINOR;
        if (!fieldsValid || !isCurrencyCode(currency)) return;
        const problem = amountProblem(amountMinor, currency);
        if (problem) context.addIssue({ code: "custom", path: ["amountMinor"], message: problem });
      })
      .openapi(component)
  );
}
