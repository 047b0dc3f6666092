import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import type { EventConsumerRpc, EventOutcome } from "@platform/contracts";
import { parseEvent } from "@platform/events";
import { databaseMiddleware, openDatabase, relayAfterWrites, relayPendingEvents, serviceHealthHandler } from "@platform/db";
import * as schema from "./db/schema.ts";
import { applyUserCreated } from "./profiles.ts";
import type { UsersBindings, UsersEnv } from "./env.ts";
import { adminRoutes } from "./routes/admin.ts";
import { meRoutes } from "./routes/me.ts";

const app = createApiApp<UsersEnv>({ service: "users" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("users", schema.outbox) }));
app.get("/health", serviceHealthHandler("users"));
serveOpenApiDocument(app, { title: "Edge Learning: users", version: "0.1.0" });
app.route("/", meRoutes);
app.route("/", adminRoutes);

export default class UsersWorker extends WorkerEntrypoint<UsersBindings> implements EventConsumerRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The event router hands USER_CREATED here: the new account gets its profile, once. */
  async handleEvent(input: unknown): Promise<EventOutcome> {
    const parsed = parseEvent(input);
    if (!parsed.ok) throw new Error(`not a valid event: ${parsed.issues.join("; ")}`);
    const { event } = parsed;
    if (event.type !== "USER_CREATED") return "ignored";
    const database = openDatabase(this.env, schema);
    try {
      return await applyUserCreated(database.db, event);
    } finally {
      this.ctx.waitUntil(database.close());
    }
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }
}
