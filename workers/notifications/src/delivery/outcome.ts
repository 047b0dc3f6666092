import { and, eq } from "drizzle-orm";
import { recordEvent } from "@platform/events";
import type { Database } from "../db/database.ts";
import { deliveries, outbox } from "../db/schema.ts";
import type { AttemptResult } from "./attempt.ts";
import type { ClaimedDelivery } from "./claim.ts";
import { attemptsAllowed, retryDelaySeconds, type DeliverySettings } from "./settings.ts";

/** Where an attempt left its delivery; `lost`: the row changed meanwhile (erased, or claimed again after the lease). */
export type Recorded = "sent" | "failed" | "rescheduled" | "lost";

/**
 * Records an attempt's outcome on the delivery it claimed. Only the claim that made this attempt may write it:
 * the row must still be pending with the attempt count the claim gave it, so an attempt that outlived its lease
 * (and was made again by another sweep) cannot overwrite the later one's outcome.
 *
 * Accepted: sent, with the provider's id, and `NOTIFICATION_SENT` in the outbox in the same transaction.
 * Refused for now: due again after base · 2^(attempts − 1), until the channel's attempts are spent.
 * Refused for good, or a push subscription that is gone: failed, never tried again.
 */
export async function recordOutcome(
  db: Database,
  delivery: ClaimedDelivery,
  result: AttemptResult,
  settings: DeliverySettings,
  now: Date,
): Promise<Recorded> {
  const claimed = and(
    eq(deliveries.id, delivery.id),
    eq(deliveries.status, "pending"),
    eq(deliveries.attempts, delivery.attempts),
  );
  if (result.outcome === "accepted") {
    return db.transaction(async (tx) => {
      const updated = await tx
        .update(deliveries)
        .set({ status: "sent", sentAt: now, providerId: result.providerId.slice(0, 500), lastError: null })
        .where(claimed)
        .returning({ id: deliveries.id });
      if (updated.length === 0) return "lost";
      // The event names a person; mail to an address with no account behind it is logged but not announced.
      if (delivery.userId) {
        await recordEvent(
          tx,
          outbox,
          "NOTIFICATION_SENT",
          {
            notificationId: delivery.id,
            userId: delivery.userId,
            channel: delivery.channel,
            template: delivery.template,
            causedBy: delivery.causedBy,
            sentAt: now.toISOString(),
          },
          { source: "notifications", correlationId: `delivery-${delivery.id}`, now },
        );
      }
      return "sent";
    });
  }
  const error = result.error.slice(0, 1_000);
  const retry = result.outcome === "temporary" && delivery.attempts < attemptsAllowed(delivery.channel, settings);
  const updated = await db
    .update(deliveries)
    .set(
      retry
        ? {
            lastError: error,
            nextAttemptAt: new Date(
              now.getTime() + retryDelaySeconds(delivery.attempts, settings.retryBaseSeconds) * 1000,
            ),
          }
        : { status: "failed", lastError: error },
    )
    .where(claimed)
    .returning({ id: deliveries.id });
  if (updated.length === 0) return "lost";
  return retry ? "rescheduled" : "failed";
}
