import type { z } from "@hono/zod-openapi";
import type {
  planSchema,
  purchaseCheckoutSchema,
  purchaseSchema,
  refundSchema,
  subscriptionCheckoutSchema,
  subscriptionSchema,
} from "../../src/routes/schemas.ts";

/** What the payments API answers, as its route schemas declare it. */
export type Plan = z.infer<typeof planSchema>;
export type Purchase = z.infer<typeof purchaseSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type Refund = z.infer<typeof refundSchema>;
export type Checkout = z.infer<typeof purchaseCheckoutSchema>;
export type SubscriptionCheckout = z.infer<typeof subscriptionCheckoutSchema>;

/** POST /api/payments/{id}/refund (the envelope is declared inline in routes/refunds.ts). */
export interface Refunded {
  readonly payment: Purchase;
  readonly refund: Refund;
}

/** GET /api/payments/me (the page is declared inline in routes/me.ts; its items are these). */
export interface MyPayments {
  readonly items: Array<Purchase | Subscription>;
  readonly nextCursor: string | null;
}
