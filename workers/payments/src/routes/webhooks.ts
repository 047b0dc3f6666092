import { OpenAPIHono, z } from "@hono/zod-openapi";
import Stripe from "stripe";
import { ProblemError, logLine, unstorableTextErrors } from "@platform/http-kit";
import { defineRoute, documentByHand, json, problem, publicAccess } from "@platform/service-kit";
import { providerFor, webhookSecretFor } from "../config.ts";
import type { PaymentsEnv } from "../env.ts";
import { webCrypto } from "../provider/stripe.ts";
import { STRIPE_WEBHOOK_PATH } from "../sandbox/deliver.ts";
import { paymentsMetrics } from "../metrics.ts";
import { HANDLED_EVENT_TYPES } from "../stripe-events.ts";
import { applyStripeEvent } from "../webhooks.ts";

/** Stripe's default: a signature older than five minutes is a replay. */
const TOLERANCE_SECONDS = 300;

const fromStripe = publicAccess(
  "Stripe (or the sandbox) calls it, not a user: every event must carry a valid Stripe-Signature",
);

const receive = defineRoute(fromStripe, {
  method: "post",
  operationId: "receiveStripeWebhook",
  path: STRIPE_WEBHOOK_PATH,
  summary: "Stripe's webhook endpoint: fulfilment, refunds, disputes and subscription changes",
  description:
    "Called by Stripe (or by the sandbox checkout, signed the same way). The `Stripe-Signature` header must verify " +
    `over the raw body with the endpoint's secret and be at most ${TOLERANCE_SECONDS} s old; anything else is refused ` +
    "with 400 and nothing is written. Each event is applied once. Subscribe the endpoint to: " +
    `${HANDLED_EVENT_TYPES.join(", ")}.`,
  tags: ["payments"],
  request: {
    headers: z.object({ "stripe-signature": z.string().optional() }),
    body: { required: true, content: json(z.object({ id: z.string(), type: z.string() }).passthrough()) },
  },
  responses: {
    200: {
      description:
        "Received: applied, unchanged (already in that state), refused (it disagrees with the payment it names: recorded, not applied), ignored (not ours), or a duplicate",
      content: json(
        z.object({
          received: z.literal(true),
          outcome: z.enum(["applied", "unchanged", "refused", "ignored", "duplicate"]),
        }),
      ),
    },
    400: problem("Missing, stale or wrong signature, not an event, or text that cannot be stored"),
    503: problem("The webhook secret is not configured"),
  },
});

export const webhookRoutes = new OpenAPIHono<PaymentsEnv>();

// Registered by hand rather than with `openapi()`: the signature covers the raw bytes, so the
// body must be read untouched before anything parses it.
webhookRoutes.post(receive.getRoutingPath(), documentByHand(webhookRoutes, receive), async (c) => {
  const secret = webhookSecretFor(c.env, c.req.url);
  if (!secret) {
    logLine("error", "payments", "Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set", {
      correlationId: c.var.correlationId,
    });
    throw new ProblemError("service-unavailable", { detail: "Webhooks are not configured." });
  }
  const signature = c.req.header("stripe-signature");
  if (!signature) throw new ProblemError("bad-request", { detail: "Missing Stripe-Signature header." });
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(rawBody, signature, secret, TOLERANCE_SECONDS, webCrypto);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logLine("warn", "payments", "Stripe webhook refused", { reason, correlationId: c.var.correlationId });
    paymentsMetrics.count(c.env, "payments_webhooks_total", { outcome: "rejected" });
    throw new ProblemError("bad-request", { detail: `Webhook refused: ${reason}` });
  }
  // Signed is not storable: text PostgreSQL refuses would fail the write with a 500 on every retry.
  // Refused like any invalid body, and logged like the other refusals, since no user sees it.
  const unstorable = unstorableTextErrors(event, "json");
  if (unstorable.length > 0) {
    logLine("warn", "payments", "Stripe webhook refused: text that cannot be stored", {
      eventId: event.id,
      fields: unstorable.map((error) => error.path),
      correlationId: c.var.correlationId,
    });
    paymentsMetrics.count(c.env, "payments_webhooks_total", { outcome: "rejected" });
    throw new ProblemError("validation-failed", { detail: "One or more fields are invalid.", errors: unstorable });
  }
  const outcome = await applyStripeEvent(c.var.database().db, event, {
    correlationId: c.var.correlationId,
    paymentIdOfIntent: (paymentIntentId) => providerFor(c.env, c.req.url).paymentIdOfIntent(paymentIntentId),
  }).catch((error: unknown) => {
    // Answered 5xx by the error handler; Stripe retries it.
    paymentsMetrics.count(c.env, "payments_webhooks_total", { outcome: "failed" });
    throw error;
  });
  paymentsMetrics.count(c.env, "payments_webhooks_total", { outcome });
  logLine("info", "payments", "Stripe event received", {
    eventId: event.id,
    type: event.type,
    outcome,
    correlationId: c.var.correlationId,
  });
  return c.json({ received: true as const, outcome }, 200);
});
