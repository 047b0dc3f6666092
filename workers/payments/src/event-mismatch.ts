import { v7 as uuidv7 } from "uuid";
import { logLine } from "@platform/http-kit";
import type { Transaction } from "./db/database.ts";
import { eventMismatches } from "./db/schema.ts";
import { describeDifferences, type Difference } from "./event-checks.ts";
import type { PurchaseFact } from "./purchase-machine.ts";
import type { Cause } from "./purchase-state.ts";
import type { PurchaseDetails, SubscriptionDetails } from "./stripe-events.ts";
import type { SubscriptionFact } from "./subscription-machine.ts";

export type MismatchSubject = { readonly paymentId: string } | { readonly subscriptionId: string };

/** What the event said, kept with a refusal so an admin's "accepted" can apply it (mismatch-resolution.ts). */
export type RefusedFact =
  | { readonly fact: PurchaseFact; readonly details: PurchaseDetails }
  | { readonly fact: SubscriptionFact; readonly details: SubscriptionDetails };

/**
 * Records a Stripe event that disagrees with what we created (in the caller's transaction, beside
 * the event's own row, so a redelivery finds it done) and alerts: an error-level log line an
 * operator's log alerting can match on `msg`, naming the payment or subscription, the event and
 * what differed. Both decisions alert alike: a refused grant may be a genuine payment someone must
 * look at, and an applied refund or expiry that disagrees may have taken access from the wrong
 * buyer. The amounts, currencies and Stripe ids in it are no card data.
 */
export async function recordMismatch(
  tx: Transaction,
  subject: MismatchSubject,
  differences: readonly Difference[],
  cause: Cause,
  decision: { readonly decision: "refused"; readonly refused: RefusedFact } | { readonly decision: "applied" },
): Promise<void> {
  await tx.insert(eventMismatches).values({
    id: uuidv7(),
    paymentId: "paymentId" in subject ? subject.paymentId : null,
    subscriptionId: "subscriptionId" in subject ? subject.subscriptionId : null,
    stripeEventId: cause.stripeEventId ?? "(none)",
    eventType: cause.what,
    differences: differences.map((difference) => ({ ...difference })),
    decision: decision.decision,
    refusedFact:
      decision.decision === "refused" ? { fact: decision.refused.fact, details: decision.refused.details } : null,
  });
  // One message for both decisions, so one alerting rule catches every mismatch; `decision` tells them apart.
  logLine("error", "payments", "Stripe event does not match what we created", {
    ...subject,
    stripeEventId: cause.stripeEventId,
    eventType: cause.what,
    decision: decision.decision,
    differences: describeDifferences(differences),
    correlationId: cause.correlationId,
  });
}
