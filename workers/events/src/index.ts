import { errorText, logLine } from "@platform/http-kit";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import * as schema from "./db/schema.ts";
import { recordDeadLetter } from "./dead-letters.ts";
import { dispatchMessage } from "./dispatch.ts";
import type { EventsBindings } from "./env.ts";

/** The dead-letter queue's name; every other queue this worker consumes is `platform-events`. */
const DEAD_LETTER_QUEUE = "platform-events-dlq";

/**
 * The event router: the one consumer of the `platform-events` Queue (a Queue has one consumer),
 * handing each event to the workers that subscribe to it, and the consumer of its dead-letter
 * queue, which keeps what could not be delivered.
 */
export default class EventsWorker extends DomainWorker<EventsBindings, typeof schema> {
  protected readonly service = { name: "events", schema, app };

  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) return this.recordDeadLetters(batch);
    const retryBase = Number(this.env.QUEUE_RETRY_BASE_SECONDS ?? "5");
    // Each message is acked or retried on its own: one bad message never holds back the rest.
    await Promise.all(batch.messages.map((message) => dispatchMessage(message, this.env, retryBase)));
  }

  private async recordDeadLetters(batch: MessageBatch<unknown>): Promise<void> {
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
            message.retry({ delaySeconds: 30 });
          }
        }
      },
      { writesEvents: false },
    );
  }
}
