import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { WebhookSweepReport } from "@platform/contracts";
import { recordEvent } from "@platform/events";
import { errorText, logLine, metricsOf } from "@platform/http-kit";
import type { Database, Queryable } from "../db/database.ts";
import { outbox, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema.ts";
import { attemptDelivery, type AttemptResult } from "./attempt.ts";
import { noteEndpointFailure, noteEndpointSuccess, signingSecretsOf, type WebhookEndpoint } from "./endpoints.ts";
import { CLAIM_LEASE_SECONDS, type WebhookSettings } from "./settings.ts";

type Delivery = typeof webhookDeliveries.$inferSelect;
const metrics = metricsOf("events");

/** A sweep's bound: the cron comes back in a minute for the rest. */
export const SWEEP_BATCH = 50;
/** Attempts in flight at once: enough to overlap slow receivers, few enough for one isolate. */
const PARALLEL_ATTEMPTS = 6;

export type { WebhookSweepReport };

/**
 * Claims due deliveries in one statement (`FOR UPDATE SKIP LOCKED`, so concurrent sweeps take
 * different rows): each claimed row's `attempts` is counted and its `next_attempt_at` moved a lease
 * ahead, so a second sweep while the attempt runs does not find it due, and one whose worker died
 * comes back after the lease. Only deliveries of enabled endpoints; oldest due first.
 */
async function claimDue(db: Database, now: Date, limit: number, ids?: readonly string[]): Promise<Delivery[]> {
  if (ids && ids.length === 0) return [];
  const due = db.$with("due").as(
    db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, "pending"),
          lte(webhookDeliveries.nextAttemptAt, now),
          inArray(
            webhookDeliveries.endpointId,
            db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(isNull(webhookEndpoints.disabledAt)),
          ),
          ids ? inArray(webhookDeliveries.id, [...ids]) : undefined,
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true }),
  );
  return db
    .with(due)
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_SECONDS * 1000),
    })
    .where(inArray(webhookDeliveries.id, db.select({ id: due.id }).from(due)))
    .returning();
}

/**
 * The delivery engine: claims what is due (or just these ids, written a moment ago), attempts each
 * outside any transaction, and records each outcome. Never throws for one receiver's failure.
 */
export async function deliverDueWebhooks(
  db: Database,
  settings: WebhookSettings,
  { now = new Date(), limit = SWEEP_BATCH, ids }: { now?: Date; limit?: number; ids?: readonly string[] } = {},
): Promise<WebhookSweepReport> {
  const claimed = await claimDue(db, now, limit, ids);
  const tally = { attempted: claimed.length, succeeded: 0, rescheduled: 0, failed: 0, endpointsDisabled: 0 };
  if (claimed.length === 0) return tally;
  const endpoints = new Map(
    (
      await db
        .select()
        .from(webhookEndpoints)
        .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((delivery) => delivery.endpointId))]))
    ).map((endpoint) => [endpoint.id, endpoint]),
  );
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const delivery = claimed[next++] as Delivery;
      const endpoint = endpoints.get(delivery.endpointId);
      if (!endpoint) continue; // Deleted meanwhile: its deliveries went with it.
      try {
        const result = await attemptWith(settings, endpoint, delivery, now);
        const settled = new Date(Math.max(now.getTime(), Date.now()));
        const outcome = await recordScheduledAttempt(db, settings, endpoint, delivery, result, settled);
        tally[outcome.delivery] += 1;
        if (outcome.endpointDisabled) tally.endpointsDisabled += 1;
        metrics.count(undefined, "events_webhook_deliveries_total", {
          trigger: "scheduled",
          outcome: outcomeLabel[outcome.delivery],
        });
        logLine(result.ok ? "info" : "warn", "events", `webhook delivery ${outcome.delivery}`, {
          deliveryId: delivery.id,
          endpointId: endpoint.id,
          eventId: delivery.eventId,
          attempts: delivery.attempts,
          status: result.status,
          ...(result.error && { error: result.error }),
        });
      } catch (error) {
        // The lease brings it back; the receiver may then get it twice, with the same webhook-id.
        logLine("error", "events", "webhook delivery outcome not recorded", {
          deliveryId: delivery.id,
          error: errorText(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ATTEMPTS, claimed.length) }, worker));
  return tally;
}

const outcomeLabel = { succeeded: "succeeded", rescheduled: "retried", failed: "failed" } as const;

async function attemptWith(
  settings: WebhookSettings,
  endpoint: WebhookEndpoint,
  delivery: Delivery,
  now: Date,
): Promise<AttemptResult> {
  const secrets = await signingSecretsOf(settings, endpoint, now);
  return attemptDelivery({ id: delivery.id, url: endpoint.url, payload: delivery.payload, secrets }, settings, now);
}

interface Recorded {
  readonly delivery: "succeeded" | "rescheduled" | "failed";
  readonly endpointDisabled: boolean;
}

/**
 * Records a scheduled attempt (its log row, the delivery's new state, the endpoint's failure
 * streak) in one transaction. A failure with retries left is due again after the schedule's next
 * wait; one with none left fails the delivery, and if the endpoint has not succeeded since it
 * started failing (three days of nothing but failures, by the default schedule) it is disabled,
 * its other pending deliveries failed with it, and WEBHOOK_ENDPOINT_DISABLED tells its owner.
 */
async function recordScheduledAttempt(
  db: Database,
  settings: WebhookSettings,
  endpoint: WebhookEndpoint,
  delivery: Delivery,
  result: AttemptResult,
  now: Date,
): Promise<Recorded> {
  return db.transaction(async (tx) => {
    await logAttempt(tx, delivery.id, "scheduled", result, now);
    const common = { lastAttemptAt: now, lastStatus: result.status, lastError: result.error };
    if (result.ok) {
      await tx
        .update(webhookDeliveries)
        .set({ ...common, status: "succeeded", succeededAt: now })
        .where(eq(webhookDeliveries.id, delivery.id));
      await noteEndpointSuccess(tx, endpoint.id);
      return { delivery: "succeeded", endpointDisabled: false };
    }
    await noteEndpointFailure(tx, endpoint.id, now);
    const wait = settings.retryScheduleSeconds[delivery.attempts - 1];
    if (wait !== undefined) {
      await tx
        .update(webhookDeliveries)
        .set({ ...common, nextAttemptAt: new Date(now.getTime() + wait * 1000) })
        .where(eq(webhookDeliveries.id, delivery.id));
      return { delivery: "rescheduled", endpointDisabled: false };
    }
    await tx
      .update(webhookDeliveries)
      .set({ ...common, status: "failed" })
      .where(eq(webhookDeliveries.id, delivery.id));
    const disabled = await disableIfStillFailing(tx, endpoint.id, result, now);
    return { delivery: "failed", endpointDisabled: disabled };
  });
}

/** Disables the endpoint when it has had no success since its streak began; answers whether it did. */
async function disableIfStillFailing(tx: Queryable, endpointId: string, result: AttemptResult, now: Date) {
  const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
  if (!endpoint || endpoint.disabledAt || !endpoint.failingSince) return false;
  const hours = Math.max(0, (now.getTime() - endpoint.failingSince.getTime()) / 3_600_000);
  const reason =
    `Every delivery has failed for ${hours < 1 ? "less than an hour" : `${Math.round(hours)} hours`} ` +
    `and one has used all its retries; the last attempt: ${result.error ?? "failed"}.`;
  await tx
    .update(webhookEndpoints)
    .set({ disabledAt: now, disabledReason: reason.slice(0, 1_000), updatedAt: now })
    .where(eq(webhookEndpoints.id, endpointId));
  const abandoned = await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "Its endpoint was disabled." })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")))
    .returning({ id: webhookDeliveries.id });
  await recordEvent(
    tx,
    outbox,
    "WEBHOOK_ENDPOINT_DISABLED",
    {
      endpointId,
      userId: endpoint.ownerId,
      url: endpoint.url,
      reason: reason.slice(0, 1_000),
      // The one that used its retries, and those left pending.
      failedDeliveries: abandoned.length + 1,
      disabledAt: now.toISOString(),
    },
    { source: "events", correlationId: `webhook-endpoint-${endpointId}`, now },
  );
  logLine("warn", "events", "webhook endpoint disabled", { endpointId, failingSince: endpoint.failingSince });
  return true;
}

async function logAttempt(
  tx: Queryable,
  deliveryId: string,
  trigger: "scheduled" | "manual",
  result: AttemptResult,
  now: Date,
): Promise<void> {
  await tx.insert(webhookAttempts).values({
    deliveryId,
    attemptedAt: now,
    trigger,
    status: result.status,
    error: result.error?.slice(0, 1_000) ?? null,
    responseExcerpt: result.responseExcerpt,
    durationMs: Math.round(result.durationMs),
  });
}

/**
 * An admin's redelivery: one attempt now, whatever the delivery's state, logged as `manual`. A
 * success marks the delivery succeeded (a pending one stops retrying); a failure changes nothing
 * but the log, so a pending delivery keeps its schedule and a failed one stays failed.
 */
export async function redeliverNow(
  db: Database,
  settings: WebhookSettings,
  endpoint: WebhookEndpoint,
  delivery: Delivery,
): Promise<AttemptResult> {
  const now = new Date();
  const result = await attemptWith(settings, endpoint, delivery, now);
  const settled = new Date();
  await db.transaction(async (tx) => {
    await logAttempt(tx, delivery.id, "manual", result, settled);
    if (result.ok) {
      await tx
        .update(webhookDeliveries)
        .set({
          status: "succeeded",
          succeededAt: settled,
          lastAttemptAt: settled,
          lastStatus: result.status,
          lastError: null,
        })
        .where(eq(webhookDeliveries.id, delivery.id));
      await noteEndpointSuccess(tx, endpoint.id);
    } else {
      await tx
        .update(webhookDeliveries)
        .set({ lastAttemptAt: settled, lastStatus: result.status, lastError: result.error })
        .where(eq(webhookDeliveries.id, delivery.id));
    }
  });
  metrics.count(undefined, "events_webhook_deliveries_total", {
    trigger: "manual",
    outcome: result.ok ? "succeeded" : "failed",
  });
  return result;
}
