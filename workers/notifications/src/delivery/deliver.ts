import type { DueDeliveriesReport } from "@platform/contracts";
import { errorText, logLine, metricsOf } from "@platform/http-kit";
import type { Database } from "../db/database.ts";
import type { AttemptResult, ChannelSenders } from "./attempt.ts";
import { claimDue, type ClaimedDelivery } from "./claim.ts";
import { recordOutcome, type Recorded } from "./outcome.ts";
import type { DeliverySettings } from "./settings.ts";

const metrics = metricsOf("notifications");
/** The counter's outcome for each recorded one; `lost` (another attempt owns the row) is not counted. */
const COUNTED = { sent: "sent", failed: "failed", rescheduled: "retried" } as const;

/** A sweep's bound: the cron comes back in a minute for the rest. */
export const SWEEP_BATCH = 50;
/** Attempts made at once: enough to overlap SMTP round trips, few enough for one isolate's sockets. */
const PARALLEL_ATTEMPTS = 4;

export interface DeliverOptions {
  readonly now?: Date;
  readonly limit?: number;
  /** Only these deliveries (just written by an event or an account mail); every due one when left out. */
  readonly ids?: readonly string[];
}

/**
 * Claims the due deliveries (claim.ts), tries each on its channel outside any transaction, and records each
 * outcome (outcome.ts). A sender that throws counts as refused for now. Resolves to what came of them.
 */
export async function deliverDue(
  db: Database,
  senders: ChannelSenders,
  settings: DeliverySettings,
  { now = new Date(), limit = SWEEP_BATCH, ids }: DeliverOptions = {},
): Promise<DueDeliveriesReport> {
  const claimed = await claimDue(db, { now, limit, ids });
  const tally: Record<Recorded, number> = { sent: 0, failed: 0, rescheduled: 0, lost: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const delivery = claimed[next++] as ClaimedDelivery;
      const result = await attempt(db, senders, delivery, now);
      // When it was accepted or refused (the log's sent_at, the retry's start); never before the sweep's clock,
      // which tests set ahead.
      const settled = new Date(Math.max(now.getTime(), Date.now()));
      let recorded: Recorded;
      try {
        recorded = await recordOutcome(db, delivery, result, settings, settled);
      } catch (error) {
        // The claim's lease brings the delivery back; an accepted one may then go twice (same Message-ID).
        logLine("error", "notifications", "delivery outcome not recorded", {
          deliveryId: delivery.id,
          outcome: result.outcome,
          error: errorText(error),
        });
        continue;
      }
      tally[recorded] += 1;
      if (recorded !== "lost") {
        // No env here: the isolate's Analytics Engine binding was remembered by the request or RPC that got here.
        metrics.count(undefined, "notifications_deliveries_total", {
          channel: delivery.channel,
          outcome: COUNTED[recorded],
        });
      }
      logLine(recorded === "sent" ? "info" : "warn", "notifications", `delivery ${recorded}`, {
        deliveryId: delivery.id,
        channel: delivery.channel,
        template: delivery.template,
        attempts: delivery.attempts,
        causedBy: delivery.causedBy,
        ...(result.outcome === "accepted" ? { providerId: result.providerId } : { error: result.error }),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ATTEMPTS, claimed.length) }, worker));
  return { attempted: claimed.length, sent: tally.sent, failed: tally.failed, rescheduled: tally.rescheduled };
}

async function attempt(
  db: Database,
  senders: ChannelSenders,
  delivery: ClaimedDelivery,
  now: Date,
): Promise<AttemptResult> {
  try {
    return await senders[delivery.channel](db, delivery, now);
  } catch (error) {
    return { outcome: "temporary", error: errorText(error) };
  }
}
