import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import { databaseMiddleware, relayAfterWrites, relayPendingEvents, serviceHealthHandler } from "@platform/db";
import * as schema from "./db/schema.ts";
import type { PaymentsBindings, PaymentsEnv } from "./env.ts";
import { meRoutes } from "./routes/me.ts";
import { planRoutes } from "./routes/plans.ts";
import { purchaseRoutes } from "./routes/purchases.ts";
import { refundRoutes } from "./routes/refunds.ts";
import { sandboxRoutes } from "./routes/sandbox.ts";
import { subscriptionRoutes } from "./routes/subscriptions.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

const app = createApiApp<PaymentsEnv>({ service: "payments" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("payments", schema.outbox) }));
// The sandbox checkout delivers its signed webhooks to this same app, in-process.
app.use(async (c, next) => {
  c.set("loopback", async (request) => app.fetch(request, c.env, c.executionCtx));
  await next();
});
app.get("/health", serviceHealthHandler("payments"));
serveOpenApiDocument(app, {
  title: "Edge Learning: payments",
  version: "0.1.0",
  tags: [{ name: "payments", description: "Buying courses, subscriptions, refunds and the payment provider's webhooks" }],
});
app.route("/", webhookRoutes);
app.route("/", sandboxRoutes);
app.route("/", planRoutes);
app.route("/", meRoutes);
app.route("/", subscriptionRoutes);
app.route("/", purchaseRoutes);
app.route("/", refundRoutes);

export default class PaymentsWorker extends WorkerEntrypoint<PaymentsBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }
}
