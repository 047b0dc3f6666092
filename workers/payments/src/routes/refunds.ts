import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { refundPayment } from "../refunds.ts";
import { requestDeps } from "./context.ts";
import { idParam, presentPurchase, presentRefund, purchaseSchema, refundSchema } from "./schemas.ts";

const refund = defineRoute(signedIn, {
  method: "post",
  operationId: "refundPayment",
  path: "/api/payments/{id}/refund",
  summary: "Refund a course purchase in full; access to the course ends",
  description:
    "Admins may refund any paid purchase; buyers their own, within `REFUND_WINDOW_DAYS` (14 by default) of paying. " +
    "The refund goes through the payment provider, then `PAYMENT_REFUNDED` is published and the course service revokes the access.",
  tags: ["payments"],
  request: { params: idParam },
  responses: {
    200: { description: "Refunded", content: json(z.object({ payment: purchaseSchema, refund: refundSchema })) },
    403: problem("Past the refund window (buyers); ask an admin"),
    404: problem("No such payment of yours"),
    409: problem("Already refunded, or not paid"),
    502: problem("The payment provider failed or refused; retrying is safe"),
  },
});

export const refundRoutes = new OpenAPIHono<PaymentsEnv>().openapi(refund, async (c) => {
  const principal = requirePrincipal(c);
  const refunded = await refundPayment(requestDeps(c), principal, c.req.valid("param").id);
  return c.json({ payment: presentPurchase(refunded.payment), refund: presentRefund(refunded.refund) }, 200);
});
