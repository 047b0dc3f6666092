import { eq } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { payments, subscriptions } from "../db/schema.ts";
import { checkoutLapsed } from "../checkout-rules.ts";
import { formatMoney } from "./page.ts";
import type { SandboxCheckout } from "./events.ts";

/** The purchase or subscription behind a sandbox checkout session. */
export async function findSandboxCheckout(db: Database, sessionId: string): Promise<SandboxCheckout | undefined> {
  const [payment] = await db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId)).limit(1);
  if (payment) return payment.provider === "sandbox" ? { kind: "payment", row: payment } : undefined;
  const [subscription] = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.checkoutSessionId, sessionId))
    .limit(1);
  return subscription?.provider === "sandbox" ? { kind: "subscription", row: subscription } : undefined;
}

/** Why the checkout can no longer be paid, or null while it can. */
export function closedBecause(checkout: SandboxCheckout, now: Date): string | null {
  // The buyer's account was erased: its open checkouts are closed (the Stripe ones are expired at Stripe).
  if (checkout.row.erasedAt !== null) return `This checkout is closed: the buyer's account was erased.`;
  const open =
    checkout.kind === "payment" ? checkout.row.status === "pending" : checkout.row.lifecycle === "incomplete";
  if (!open) {
    const state = checkout.kind === "payment" ? checkout.row.status : checkout.row.lifecycle;
    return `This checkout is closed: the ${checkout.kind} is ${state}.`;
  }
  return checkoutLapsed(checkout.row, now) ? "This checkout has expired." : null;
}

export function describe(checkout: SandboxCheckout): string {
  if (checkout.kind === "payment") return "Lifetime access to this course.";
  const price = formatMoney(checkout.row.amountMinor, checkout.row.currency);
  return `All-access subscription: every course, ${price} a ${checkout.row.interval}, cancel any time.`;
}
