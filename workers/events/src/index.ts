import { errorText, logLine } from "@platform/http-kit";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import * as schema from "./db/schema.ts";
import { confirmDeliveries } from "./confirmations.ts";
import { recordDeadLetter } from "./dead-letters.ts";
import { forgetFailures, noteFailures } from "./delivery-failures.ts";
import { dispatchMessage, type DispatchOutcome } from "./dispatch.ts";
import type { EventsBindings } from "./env.ts";

/** The dead-letter queue's name; every other queue this worker consumes is `platform-events`. */
const DEAD_LETTER_QUEUE = "platform-events-dlq";

/**
 * The event router: the one consumer of the `platform-events` Queue (a Queue has one consumer),
 * handing each event to the workers that subscribe to it and then confirming it to the worker
 * whose outbox it came from, and the consumer of its dead-letter queue, which keeps what could
 * not be delivered. Delivery does not depend on the Queue keeping a message: what is never
 * confirmed is re-sent by its producer's sweep (docs/events.md).
 */
export default class EventsWorker extends DomainWorker<EventsBindings, typeof schema> {
  protected readonly service = { name: "events", schema, app };

  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) return this.recordDeadLetters(batch);
    const retryBase = Number(this.env.QUEUE_RETRY_BASE_SECONDS ?? "5");
    // Each message is acked or retried on its own: one bad message never holds back the rest.
    const outcomes = await Promise.all(batch.messages.map((message) => dispatchMessage(message, this.env, retryBase)));
    const delivered = outcomes.flatMap((outcome) => (outcome.status === "delivered" ? [outcome.event] : []));
    await this.noteFailures(outcomes);
    // One confirmation per producing worker for the whole batch; a failed one is logged, and the event re-sent later.
    await confirmDeliveries(delivered, this.env, this);
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
            await recordDeadLetter(db, message);
            logLine("error", "events", "dead letter recorded", { messageId: message.id, attempts: message.attempts });
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
