import type { EventOutcome } from "@platform/contracts";
import type { PruneReport } from "@platform/db";
import type { PlatformEvent } from "@platform/events";
import { errorText, gaugeFamily, logLine, metricsOf, type FamilySnapshot } from "@platform/http-kit";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import { confirmDeliveries } from "./confirmations.ts";
import { deadLetterRetentionDays, pruneDeadLetters } from "./dead-letter-retention.ts";
import { countAwaitingDeadLetters, recordDeadLetter } from "./dead-letters.ts";
import { forgetFailures, noteFailures } from "./delivery-failures.ts";
import { dispatchMessage, type DispatchOutcome } from "./dispatch.ts";
import type { EventsBindings } from "./env.ts";
import { applyUserDeleted, ROUTER_CONSUMES } from "./erasure.ts";
import { appendToFeed, eventFeedRetentionDays, pruneFeed } from "./event-feed.ts";
import { deliverDueWebhooks, type WebhookSweepReport } from "./webhooks/deliver.ts";
import { pruneWebhookDeliveries } from "./webhooks/retention.ts";
import { webhookRetentionDays, webhookSettings } from "./webhooks/settings.ts";

/** The dead-letter queue's name; every other queue this worker consumes is `platform-events`. */
const DEAD_LETTER_QUEUE = "platform-events-dlq";
const metrics = metricsOf("events");

/**
 * The event router: the one consumer of the `platform-events` Queue (a Queue has one consumer),
 * handing each event to the workers that subscribe to it and then confirming it to the worker
 * whose outbox it came from, and the consumer of its dead-letter queue, which keeps what could
 * not be delivered. Delivery does not depend on the Queue keeping a message: what is never
 * confirmed is re-sent by its producer's sweep (docs/events.md).
 */
export default class EventsWorker extends DomainWorker<EventsBindings, typeof schema> {
  protected readonly service = { name: "events", schema, app, consumes: ROUTER_CONSUMES };

  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) return this.recordDeadLetters(batch);
    const retryBase = Number(this.env.QUEUE_RETRY_BASE_SECONDS ?? "5");
    // Each message is acked or retried on its own: one bad message never holds back the rest.
    // The router is also a subscriber of its own (ROUTER_CONSUMES), reached through handleEvent like the others.
    const router = { consumes: ROUTER_CONSUMES, handleEvent: (event: unknown) => this.handleEvent(event) };
    const outcomes = await Promise.all(
      batch.messages.map((message) => dispatchMessage(message, this.env, retryBase, router)),
    );
    const delivered = outcomes.flatMap((outcome) => (outcome.status === "delivered" ? [outcome.event] : []));
    for (const outcome of outcomes) {
      const counted = outcome.status === "delivered" ? "delivered" : "retried";
      metrics.count(this.env, "events_queue_messages_total", { queue: batch.queue, outcome: counted });
    }
    await this.noteFailures(outcomes);
    // Into the event feed before confirming: if that fails the events stay unconfirmed, their
    // producers send them again, and the feed gets them then (once: it dedupes on the event id).
    if (!(await this.appendToFeed(delivered))) return;
    // One confirmation per producing worker for the whole batch; a failed one is logged, and the event re-sent later.
    await confirmDeliveries(delivered, this.env, this);
  }

  /**
   * Records the batch's delivered events in the event feed, with their webhook deliveries, and sends
   * those after the batch (never holding it up: a slow receiver delays nothing but itself); answers
   * whether the append worked. A delivery not sent now is sent by the next minute's sweep.
   */
  private async appendToFeed(delivered: readonly PlatformEvent[]): Promise<boolean> {
    if (delivered.length === 0) return true;
    try {
      const appended = await this.withDatabase((db) => appendToFeed(db, delivered), { writesEvents: false });
      if (appended.webhookDeliveryIds.length > 0) {
        this.ctx.waitUntil(this.sendWebhooks([...appended.webhookDeliveryIds]).then(() => undefined));
      }
      return true;
    } catch (error) {
      logLine("warn", "events", "could not append to the event feed; the events stay unconfirmed and come back", {
        eventIds: delivered.map((event) => event.id),
        error: errorText(error),
      });
      return false;
    }
  }

  /**
   * The gateway cron's webhook chore, every minute: the deliveries whose time has come (retries, and
   * any the fast path after a batch did not get to), a bounded batch per run.
   */
  async sendDueWebhooks(): Promise<WebhookSweepReport> {
    return this.sendWebhooks();
  }

  /** Sends these deliveries (or every due one); a disabled endpoint's event goes out through the outbox. */
  private sendWebhooks(ids?: readonly string[]): Promise<WebhookSweepReport> {
    const settings = webhookSettings(this.env);
    return this.withDatabase((db) => deliverDueWebhooks(db, settings, { ...(ids && { ids }) })).catch(
      (error: unknown) => {
        logLine("error", "events", "webhook sweep failed", { error: errorText(error) });
        return { attempted: 0, succeeded: 0, rescheduled: 0, failed: 0, endpointsDisabled: 0 };
      },
    );
  }

  /** USER_DELETED: the erased person's dead letters and feed entries go, and later ones are not kept (erasure.ts). */
  protected override applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    if (event.type !== "USER_DELETED") return Promise.resolve("ignored");
    return applyUserDeleted(db, event);
  }

  /** Every worker's outbox gauges, and the dead letters awaiting an operator. */
  protected override async readGauges(db: Database): Promise<FamilySnapshot[]> {
    const awaiting = await countAwaitingDeadLetters(db);
    return [
      ...(await super.readGauges(db)),
      gaugeFamily("events", "events_dead_letters", [{ labels: {}, value: awaiting }]),
    ];
  }

  /** The hourly retention chore: the outbox and dedupe marks as every worker's, old dead letters, feed entries and webhook deliveries. */
  override async pruneEventTables(): Promise<
    PruneReport & { deadLetters: number; feed: number; webhookDeliveries: number }
  > {
    const report = await super.pruneEventTables();
    const deadLetters = await this.withDatabase(
      (db) => pruneDeadLetters(db, { retentionDays: deadLetterRetentionDays(this.env) }),
      { writesEvents: false },
    );
    const feed = await this.withDatabase((db) => pruneFeed(db, { retentionDays: eventFeedRetentionDays(this.env) }), {
      writesEvents: false,
    });
    const webhookDeliveries = await this.withDatabase(
      (db) => pruneWebhookDeliveries(db, { retentionDays: webhookRetentionDays(this.env) }),
      { writesEvents: false },
    );
    return { ...report, deadLetters, feed, webhookDeliveries };
  }

  /**
   * Notes why each retried event failed (its dead letter, if it becomes one, says so), and forgets the
   * notes of events delivered after failing. Best effort: the database may be what failed. A batch that
   * delivered everything at the first attempt touches nothing.
   */
  private async noteFailures(outcomes: readonly DispatchOutcome[]): Promise<void> {
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === "retry" && outcome.eventId ? [{ eventId: outcome.eventId, reason: outcome.reason }] : [],
    );
    const recovered = outcomes.flatMap((outcome) =>
      outcome.status === "delivered" && outcome.failedBefore ? [outcome.event.id] : [],
    );
    if (failures.length === 0 && recovered.length === 0) return;
    try {
      await this.withDatabase(
        async (db) => {
          await noteFailures(db, failures);
          await forgetFailures(db, recovered);
        },
        { writesEvents: false },
      );
    } catch (error) {
      logLine("warn", "events", "could not note delivery failures", { error: errorText(error) });
    }
  }

  /**
   * Keeps each dead letter in events.dead_letters for an admin. While the database is down the
   * message is retried, and after this queue's retries it is dropped: that loses nothing, since
   * the event was never confirmed and its producer's sweep sends it again.
   */
  private async recordDeadLetters(batch: MessageBatch<unknown>): Promise<void> {
    const retryDelay = Number(this.env.DEAD_LETTER_RETRY_SECONDS ?? "30");
    await this.withDatabase(
      async (db) => {
        for (const message of batch.messages) {
          try {
            const outcome = await recordDeadLetter(db, message);
            if (outcome === "erased") {
              logLine("info", "events", "dead letter of an erased account not kept", { messageId: message.id });
            } else {
              logLine("error", "events", "dead letter recorded", { messageId: message.id, attempts: message.attempts });
            }
            metrics.count(this.env, "events_queue_messages_total", { queue: batch.queue, outcome: "dead_lettered" });
            message.ack();
          } catch (error) {
            logLine("error", "events", "could not record a dead letter", {
              messageId: message.id,
              error: errorText(error),
            });
            message.retry({ delaySeconds: retryDelay });
          }
        }
      },
      { writesEvents: false },
    );
  }
}
