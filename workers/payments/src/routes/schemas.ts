import { z } from "@hono/zod-openapi";
import { chargeablePriceSchema as chargeablePrice } from "@platform/service-kit";
import type { Payment } from "../purchase-state.ts";
import type { Refund } from "../refunds.ts";
import { presentState, type Subscription } from "../subscription-state.ts";
import type { Plan } from "../plans.ts";

export const idParam = z.object({ id: z.uuid() });

const instant = z.iso.datetime({ offset: true });

export const moneySchema = z
  .object({
    amountMinor: z.int().min(1).max(100_000_000).openapi({ description: "Integer minor units (cents)", example: 4900 }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals")
      .openapi({ example: "EUR" }),
  })
  .openapi("PaymentsMoney");

/** A chargeable price for what admins write (plans): the kit's one rule, as for course prices. */
export const chargeablePriceSchema = chargeablePrice("ChargeablePrice");

export const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces")
    .optional()
    .openapi({
      description: "Send the same key again (same person) to get the same checkout back instead of a new one",
    }),
});

export const checkoutSchema = z
  .object({
    checkoutUrl: z
      .url()
      .openapi({ description: "Send the buyer here; access follows from the provider's webhook, not from the return" }),
    expiresAt: instant,
  })
  .openapi("CheckoutLink");

export const purchaseCheckoutSchema = checkoutSchema.extend({ paymentId: z.uuid() }).openapi("PurchaseCheckout");
export const subscriptionCheckoutSchema = checkoutSchema
  .extend({ subscriptionId: z.uuid() })
  .openapi("SubscriptionCheckout");

export const planSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    interval: z.enum(["month", "year"]),
    price: moneySchema,
    active: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi("Plan");

export const purchaseSchema = z
  .object({
    kind: z.literal("purchase"),
    id: z.uuid(),
    courseId: z.uuid(),
    description: z.string(),
    price: moneySchema,
    status: z.enum(["pending", "expired", "processing", "failed", "paid", "disputed", "refunded"]),
    provider: z.enum(["stripe", "sandbox"]),
    checkoutUrl: z.string().nullable().openapi({ description: "While the checkout can still be paid" }),
    checkoutExpiresAt: instant.nullable(),
    amountRefundedMinor: z.int(),
    paidAt: instant.nullable(),
    refundedAt: instant.nullable(),
    createdAt: instant,
  })
  .openapi("Purchase");

export const subscriptionSchema = z
  .object({
    kind: z.literal("subscription"),
    id: z.uuid(),
    planId: z.uuid(),
    description: z.string(),
    interval: z.enum(["month", "year"]),
    price: moneySchema,
    status: z.enum(["incomplete", "expired", "active", "past_due", "canceling", "canceled"]),
    provider: z.enum(["stripe", "sandbox"]),
    checkoutUrl: z.string().nullable().openapi({ description: "While the checkout can still be paid" }),
    currentPeriodEnd: instant.nullable(),
    endsAt: instant.nullable().openapi({ description: "When access ends (set once cancelled)" }),
    createdAt: instant,
  })
  .openapi("Subscription");

export const refundSchema = z
  .object({
    id: z.uuid(),
    paymentId: z.uuid(),
    providerRefundId: z.string(),
    price: moneySchema,
    status: z.string(),
    createdAt: instant,
  })
  .openapi("Refund");

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentPlan(plan: Plan): z.infer<typeof planSchema> {
  return {
    id: plan.id,
    name: plan.name,
    interval: plan.interval,
    price: { amountMinor: plan.amountMinor, currency: plan.currency },
    active: plan.active,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

export function presentPurchase(payment: Payment): z.infer<typeof purchaseSchema> {
  const open = payment.status === "pending";
  return {
    kind: "purchase",
    id: payment.id,
    courseId: payment.courseId,
    description: payment.description,
    price: { amountMinor: payment.amountMinor, currency: payment.currency },
    status: payment.status,
    provider: payment.provider,
    checkoutUrl: open ? payment.checkoutUrl : null,
    checkoutExpiresAt: open ? iso(payment.checkoutExpiresAt) : null,
    amountRefundedMinor: payment.amountRefundedMinor,
    paidAt: iso(payment.paidAt),
    refundedAt: iso(payment.refundedAt),
    createdAt: payment.createdAt.toISOString(),
  };
}

export function presentSubscription(subscription: Subscription): z.infer<typeof subscriptionSchema> {
  const { status, endsAt } = presentState(subscription);
  return {
    kind: "subscription",
    id: subscription.id,
    planId: subscription.planId,
    description: subscription.description,
    interval: subscription.interval,
    price: { amountMinor: subscription.amountMinor, currency: subscription.currency },
    status,
    provider: subscription.provider,
    checkoutUrl: subscription.lifecycle === "incomplete" ? subscription.checkoutUrl : null,
    currentPeriodEnd: iso(subscription.currentPeriodEnd),
    endsAt: iso(endsAt),
    createdAt: subscription.createdAt.toISOString(),
  };
}

export function presentRefund(refund: Refund): z.infer<typeof refundSchema> {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    providerRefundId: refund.providerRefundId,
    price: { amountMinor: refund.amountMinor, currency: refund.currency },
    status: refund.status,
    createdAt: refund.createdAt.toISOString(),
  };
}

/** A checkout answer from a row that has its session (finishCheckout guarantees it). */
export function checkoutOf(row: { checkoutUrl: string | null; checkoutExpiresAt: Date | null }) {
  if (!row.checkoutUrl || !row.checkoutExpiresAt) throw new Error("a checkout row without its session");
  return { checkoutUrl: row.checkoutUrl, expiresAt: row.checkoutExpiresAt.toISOString() };
}
