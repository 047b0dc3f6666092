import { v7 as uuidv7 } from "uuid";
import { logLine } from "@platform/http-kit";
import type { Transaction } from "./db/database.ts";
import { eventMismatches } from "./db/schema.ts";
import { describeDifferences, type Difference } from "./event-checks.ts";
import type { Cause } from "./purchase-state.ts";

/**
 * Records a refused Stripe event (in the caller's transaction, beside the event's own row, so a
 * redelivery finds it done and cannot flip the payment later) and alerts: an error-level log line
 * an operator's log alerting can match on `msg`, naming the payment or subscription, the event
 * and what differed. The amounts, currencies and Stripe ids in it are no card data.
 */
export async function refuseMismatch(
  tx: Transaction,
  subject: { readonly paymentId: string } | { readonly subscriptionId: string },
  differences: readonly Difference[],
  cause: Cause,
): Promise<void> {
  await tx.insert(eventMismatches).values({
    id: uuidv7(),
    paymentId: "paymentId" in subject ? subject.paymentId : null,
    subscriptionId: "subscriptionId" in subject ? subject.subscriptionId : null,
    stripeEventId: cause.stripeEventId ?? "(none)",
    eventType: cause.what,
    differences: differences.map((difference) => ({ ...difference })),
  });
  logLine("error", "payments", "Stripe event refused: it does not match what we created", {
    ...subject,
    stripeEventId: cause.stripeEventId,
    eventType: cause.what,
    differences: describeDifferences(differences),
    correlationId: cause.correlationId,
  });
}
