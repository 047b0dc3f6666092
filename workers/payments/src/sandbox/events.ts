import { METADATA } from "../stripe-events.ts";
import { sandboxId } from "../provider/sandbox.ts";
import type { Payment } from "../purchase-state.ts";
import type { Subscription } from "../subscription-state.ts";

/**
 * The Stripe events the sandbox's checkout page sends itself: the same types and the fields of
 * Stripe's objects that the webhook handler reads (a subset of each object; Stripe's own carry
 * many more), so the sandbox exercises the real handler, signature check included.
 */

export type SandboxChoice = "pay" | "decline";
export type SandboxCheckout =
  { readonly kind: "payment"; readonly row: Payment } | { readonly kind: "subscription"; readonly row: Subscription };

interface StripeLikeEvent {
  readonly id: string;
  readonly object: "event";
  readonly type: string;
  readonly created: number;
  readonly livemode: false;
  readonly api_version: string;
  readonly pending_webhooks: number;
  readonly request: { readonly id: null; readonly idempotency_key: null };
  readonly data: { readonly object: Record<string, unknown> };
}

/** The API version the events are shaped after (the SDK's pinned version). */
const API_VERSION = "2026-10-28.endive";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

async function event(type: string, object: Record<string, unknown>, now: Date): Promise<StripeLikeEvent> {
  return {
    id: await sandboxId("evt", crypto.randomUUID()),
    object: "event",
    type,
    created: seconds(now),
    livemode: false,
    api_version: API_VERSION,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** A period of the plan's length from `start` (calendar months, as Stripe bills). */
export function periodEnd(start: Date, interval: "month" | "year"): Date {
  const end = new Date(start);
  if (interval === "month") end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

async function sessionObject(
  checkout: SandboxCheckout,
  paymentStatus: "paid" | "unpaid",
  status: "complete" | "expired",
) {
  const { row } = checkout;
  const base = {
    id: row.checkoutSessionId,
    object: "checkout.session",
    amount_total: row.amountMinor,
    amount_subtotal: row.amountMinor,
    currency: row.currency.toLowerCase(),
    created: seconds(row.createdAt),
    expires_at: row.checkoutExpiresAt ? seconds(row.checkoutExpiresAt) : null,
    livemode: false,
    payment_status: paymentStatus,
    status,
    url: null,
  };
  if (checkout.kind === "payment") {
    return {
      ...base,
      mode: "payment",
      client_reference_id: row.id,
      metadata: { [METADATA.paymentId]: row.id, [METADATA.userId]: row.userId, courseId: checkout.row.courseId },
      payment_intent: status === "complete" ? await sandboxId("pi", row.id) : null,
      subscription: null,
    };
  }
  return {
    ...base,
    mode: "subscription",
    client_reference_id: row.id,
    metadata: { [METADATA.subscriptionId]: row.id, [METADATA.userId]: row.userId, planId: checkout.row.planId },
    payment_intent: null,
    customer: status === "complete" ? await sandboxId("cus", row.userId, 14) : null,
    subscription: status === "complete" ? await sandboxId("sub", row.id) : null,
  };
}

/**
 * Pay: a course checkout completes paid; a subscription checkout completes and its first invoice
 * is paid (which tells the period end). Decline: a course payment fails the way a bank debit
 * does (completed unpaid, then async_payment_failed); a subscription checkout expires.
 */
export async function sandboxCheckoutEvents(
  checkout: SandboxCheckout,
  choice: SandboxChoice,
  now: Date,
): Promise<StripeLikeEvent[]> {
  if (checkout.kind === "payment") {
    if (choice === "pay")
      return [await event("checkout.session.completed", await sessionObject(checkout, "paid", "complete"), now)];
    const session = await sessionObject(checkout, "unpaid", "complete");
    return [
      await event("checkout.session.completed", session, now),
      await event("checkout.session.async_payment_failed", session, now),
    ];
  }
  if (choice === "decline")
    return [await event("checkout.session.expired", await sessionObject(checkout, "unpaid", "expired"), now)];
  const { row } = checkout;
  const subscriptionId = await sandboxId("sub", row.id);
  const end = periodEnd(now, row.interval);
  const invoice = {
    id: await sandboxId("in", row.id),
    object: "invoice",
    status: "paid",
    created: seconds(now),
    currency: row.currency.toLowerCase(),
    amount_due: row.amountMinor,
    amount_paid: row.amountMinor,
    billing_reason: "subscription_create",
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: {
        subscription: subscriptionId,
        metadata: { [METADATA.subscriptionId]: row.id, [METADATA.userId]: row.userId },
      },
    },
    lines: {
      object: "list",
      has_more: false,
      data: [{ object: "line_item", amount: row.amountMinor, period: { start: seconds(now), end: seconds(end) } }],
    },
  };
  return [
    await event("checkout.session.completed", await sessionObject(checkout, "paid", "complete"), now),
    await event("invoice.paid", invoice, now),
  ];
}
