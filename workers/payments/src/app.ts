import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { PaymentsEnv } from "./env.ts";
import { adminPaymentRoutes } from "./routes/admin-payments.ts";
import { meRoutes } from "./routes/me.ts";
import { mismatchRoutes } from "./routes/mismatches.ts";
import { planRoutes } from "./routes/plans.ts";
import { purchaseRoutes } from "./routes/purchases.ts";
import { refundRoutes } from "./routes/refunds.ts";
import { revenueRoutes } from "./routes/revenue.ts";
import { sandboxRoutes } from "./routes/sandbox.ts";
import { subscriptionRoutes } from "./routes/subscriptions.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export const app = createDomainApp<PaymentsEnv, typeof schema>({
  service: "payments",
  schema,
  openapi: {
    tags: [
      { name: "payments", description: "Buying courses, subscriptions, refunds and the payment provider's webhooks" },
    ],
  },
});
// The sandbox checkout delivers its signed webhooks to this same app, in-process.
app.use(async (c, next) => {
  c.set("loopback", async (request) => app.fetch(request, c.env, c.executionCtx));
  await next();
});
app.route("/", webhookRoutes);
app.route("/", sandboxRoutes);
app.route("/", planRoutes);
app.route("/", meRoutes);
app.route("/", subscriptionRoutes);
app.route("/", purchaseRoutes);
app.route("/", refundRoutes);
app.route("/", mismatchRoutes);
app.route("/", adminPaymentRoutes);
app.route("/", revenueRoutes);
