import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { PaymentsEnv } from "../env.ts";
import { refundPayment } from "../refunds.ts";
import { requestDeps } from "./context.ts";
import { idParam, json, presentPurchase, presentRefund, purchaseSchema, refundSchema, security } from "./schemas.ts";

const refund = createRoute({
  method: "post",
  path: "/api/payments/{id}/refund",
  summary: "Refund a course purchase in full (the seed's processRefund); access to the course ends",
  description:
    "Admins may refund any paid purchase; buyers their own, within `REFUND_WINDOW_DAYS` (14 by default) of paying. " +
    "The refund goes through the payment provider, then `PAYMENT_REFUNDED` is published and the course service revokes the access.",
  tags: ["payments"],
  security,
  request: { params: idParam },
  responses: {
    200: { description: "Refunded", content: json(z.object({ payment: purchaseSchema, refund: refundSchema })) },
    401: { description: "Not signed in", content: problemContent },
    403: { description: "Past the refund window (buyers); ask an admin", content: problemContent },
    404: { description: "No such payment of yours", content: problemContent },
    409: { description: "Already refunded, or not paid", content: problemContent },
    502: { description: "The payment provider failed or refused; retrying is safe", content: problemContent },
  },
});

export const refundRoutes = new OpenAPIHono<PaymentsEnv>().openapi(refund, async (c) => {
  const principal = requirePrincipal(c);
  const refunded = await refundPayment(requestDeps(c), principal, c.req.valid("param").id);
  return c.json({ payment: presentPurchase(refunded.payment), refund: presentRefund(refunded.refund) }, 200);
});
