import { WorkerEntrypoint } from "cloudflare:workers";
import type { ServiceEnv } from "@platform/http-kit";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import {
  databaseMiddleware,
  relayAfterWrites,
  relayPendingEvents,
  serviceHealthHandler,
  type DatabaseBindings,
  type EventsQueueBindings,
  type DatabaseVariables,
} from "@platform/db";
import * as schema from "./db/schema.ts";

type Bindings = DatabaseBindings & EventsQueueBindings;
type Env = ServiceEnv<Bindings, DatabaseVariables<typeof schema>>;

const app = createApiApp<Env>({ service: "notifications" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("notifications", schema.outbox) }));
app.get("/health", serviceHealthHandler("notifications"));
serveOpenApiDocument(app, { title: "Edge Learning: notifications", version: "0.1.0" });

export default class NotificationsWorker extends WorkerEntrypoint<Bindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }
}
