import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import { databaseMiddleware, relayAfterWrites, relayPendingEvents, serviceHealthHandler } from "@platform/db";
import * as schema from "./db/schema.ts";
import type { CoursesBindings, CoursesEnv } from "./env.ts";
import { mediaRoutes } from "./routes/media.ts";

const app = createApiApp<CoursesEnv>({ service: "courses" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("courses", schema.outbox) }));
app.get("/health", serviceHealthHandler("courses"));
serveOpenApiDocument(app, { title: "Edge Learning: courses", version: "0.1.0" });
app.route("/", mediaRoutes);

export default class CoursesWorker extends WorkerEntrypoint<CoursesBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }
}
