import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { cancelSubscription, startSubscription } from "../subscriptions.ts";
import { requestDeps } from "./context.ts";
import {
  checkoutOf,
  idParam,
  idempotencyHeaders,
  presentSubscription,
  subscriptionCheckoutSchema,
  subscriptionSchema,
} from "./schemas.ts";

const subscribe = defineRoute(signedIn, {
  method: "post",
  operationId: "createSubscription",
  path: "/api/payments/subscriptions",
  summary: "Subscribe to an all-access plan: opens a checkout",
  description:
    "An active subscription opens every course until it ends. It starts when the payment provider confirms the " +
    "first payment to the webhook endpoint. The same `Idempotency-Key` returns the same checkout.",
  tags: ["payments"],
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: json(z.object({ planId: z.uuid() }).openapi("SubscribeRequest")) },
  },
  responses: {
    201: { description: "A checkout for the subscription", content: json(subscriptionCheckoutSchema) },
    200: { description: "Your open checkout for this plan", content: json(subscriptionCheckoutSchema) },
    404: problem("No such plan on offer"),
    409: problem("Already subscribed, or an open checkout for another plan"),
    422: problem("An Idempotency-Key used for another plan"),
    502: problem("The payment provider failed; retry with the same Idempotency-Key"),
  },
});

const cancel = defineRoute(signedIn, {
  method: "delete",
  operationId: "cancelSubscription",
  path: "/api/payments/subscriptions/{id}",
  summary: "Cancel a subscription at the end of its paid period",
  description: "The owner or an admin. Access continues until `endsAt`; cancelling again answers the same.",
  tags: ["payments"],
  request: { params: idParam },
  responses: {
    200: { description: "Cancelled at period end", content: json(subscriptionSchema) },
    404: problem("No such subscription of yours"),
    409: problem("Not started, or already ended"),
    502: problem("The payment provider failed; retrying is safe"),
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
