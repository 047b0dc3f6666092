import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import { databaseMiddleware, openDatabase, relayAfterWrites, relayPendingEvents, serviceHealthHandler } from "@platform/db";
import { errorText, logLine } from "@platform/http-kit";
import * as schema from "./db/schema.ts";
import { recordDeadLetter } from "./dead-letters.ts";
import { dispatchMessage } from "./dispatch.ts";
import type { EventsBindings, EventsEnv } from "./env.ts";
import { deadLetterRoutes } from "./routes/dead-letters.ts";
import { inboundRoutes } from "./routes/inbound.ts";

/** The dead-letter queue's name; every other queue this worker consumes is `platform-events`. */
const DEAD_LETTER_QUEUE = "platform-events-dlq";

const app = createApiApp<EventsEnv>({ service: "events" });
app.use(
  databaseMiddleware(schema, {
    afterResponse: relayAfterWrites("events", schema.outbox),
  }),
);
app.get("/health", serviceHealthHandler("events"));
serveOpenApiDocument(app, { title: "Edge Learning: events", version: "0.1.0" });
app.route("/", inboundRoutes);
app.route("/", deadLetterRoutes);

/**
 * The event router: the one consumer of the `platform-events` Queue (a Queue has one consumer),
 * handing each event to the workers that subscribe to it, and the consumer of its dead-letter
 * queue, which keeps what could not be delivered.
 */
export default class EventsWorker extends WorkerEntrypoint<EventsBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) return this.recordDeadLetters(batch);
    const retryBase = Number(this.env.QUEUE_RETRY_BASE_SECONDS ?? "5");
    // Each message is acked or retried on its own: one bad message never holds back the rest.
    await Promise.all(batch.messages.map((message) => dispatchMessage(message, this.env, retryBase)));
  }

  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }

  private async recordDeadLetters(batch: MessageBatch<unknown>): Promise<void> {
    const database = openDatabase(this.env, schema);
    try {
      for (const message of batch.messages) {
        try {
          await recordDeadLetter(database.db, message);
          logLine("error", "events", "dead letter recorded", { messageId: message.id, attempts: message.attempts });
          message.ack();
        } catch (error) {
          logLine("error", "events", "could not record a dead letter", { messageId: message.id, error: errorText(error) });
          message.retry({ delaySeconds: 30 });
        }
      }
    } finally {
      await database.close();
    }
  }
}
