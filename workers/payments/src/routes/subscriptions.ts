import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { PaymentsEnv } from "../env.ts";
import { cancelSubscription, startSubscription } from "../subscriptions.ts";
import { requestDeps } from "./context.ts";
import {
  checkoutOf,
  idParam,
  idempotencyHeaders,
  json,
  presentSubscription,
  security,
  subscriptionCheckoutSchema,
  subscriptionSchema,
} from "./schemas.ts";

const subscribe = createRoute({
  method: "post",
  path: "/api/payments/subscriptions",
  summary: "Subscribe to an all-access plan: opens a checkout (the seed's createSubscription)",
  description:
    "An active subscription opens every course until it ends. It starts when the payment provider confirms the " +
    "first payment to the webhook endpoint. The same `Idempotency-Key` returns the same checkout.",
  tags: ["payments"],
  security,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: json(z.object({ planId: z.uuid() }).openapi("SubscribeRequest")) },
  },
  responses: {
    201: { description: "A checkout for the subscription", content: json(subscriptionCheckoutSchema) },
    200: { description: "Your open checkout for this plan", content: json(subscriptionCheckoutSchema) },
    401: { description: "Not signed in", content: problemContent },
    404: { description: "No such plan on offer", content: problemContent },
    409: { description: "Already subscribed, or an open checkout for another plan", content: problemContent },
    422: { description: "An Idempotency-Key used for another plan", content: problemContent },
    502: { description: "The payment provider failed; retry with the same Idempotency-Key", content: problemContent },
  },
});

const cancel = createRoute({
  method: "delete",
  path: "/api/payments/subscriptions/{id}",
  summary: "Cancel a subscription at the end of its paid period (the seed's cancelSubscription)",
  description: "The owner or an admin. Access continues until `endsAt`; cancelling again answers the same.",
  tags: ["payments"],
  security,
  request: { params: idParam },
  responses: {
    200: { description: "Cancelled at period end", content: json(subscriptionSchema) },
    401: { description: "Not signed in", content: problemContent },
    404: { description: "No such subscription of yours", content: problemContent },
    409: { description: "Not started, or already ended", content: problemContent },
    502: { description: "The payment provider failed; retrying is safe", content: problemContent },
  },
});

export const subscriptionRoutes = new OpenAPIHono<PaymentsEnv>()
  .openapi(subscribe, async (c) => {
    const principal = requirePrincipal(c);
    const { subscription, how } = await startSubscription(
      requestDeps(c),
      principal.userId,
      c.req.valid("json").planId,
      c.req.valid("header")["idempotency-key"],
    );
    const body = { subscriptionId: subscription.id, ...checkoutOf(subscription) };
    if (how === "reused") return c.json(body, 200);
    if (how === "replayed") c.header("idempotent-replayed", "true");
    return c.json(body, 201);
  })
  .openapi(cancel, async (c) => {
    const principal = requirePrincipal(c);
    const subscription = await cancelSubscription(requestDeps(c), principal, c.req.valid("param").id);
    return c.json(presentSubscription(subscription), 200);
  });
