import { OpenAPIHono } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { startCoursePurchase } from "../purchases.ts";
import { requestDeps } from "./context.ts";
import { checkoutOf, idParam, idempotencyHeaders, purchaseCheckoutSchema } from "./schemas.ts";

const purchase = defineRoute(signedIn, {
  method: "post",
  operationId: "purchaseCourse",
  path: "/api/payments/courses/{id}",
  summary: "Buy a course: opens a checkout at the course's price",
  description:
    "Answers where to send the buyer. Access is granted when the payment provider confirms the payment to " +
    "`POST /api/payments/webhooks/stripe`, never when the browser returns. With the same `Idempotency-Key` the " +
    "same checkout comes back (201, `Idempotent-Replayed: true`); without one, an open checkout of yours for " +
    "this course comes back (200).",
  tags: ["payments"],
  request: { params: idParam, headers: idempotencyHeaders },
  responses: {
    201: { description: "A checkout for this purchase", content: json(purchaseCheckoutSchema) },
    200: { description: "Your open checkout for this course", content: json(purchaseCheckoutSchema) },
    404: problem("No such course for sale (unknown or not published)"),
    409: problem("Already yours (bought, being paid, or by subscription), or no longer sold"),
    422: problem("A free course (enroll instead), or an Idempotency-Key used for another course"),
    502: problem("The payment provider failed; retry with the same Idempotency-Key"),
  },
});

export const purchaseRoutes = new OpenAPIHono<PaymentsEnv>().openapi(purchase, async (c) => {
  const principal = requirePrincipal(c);
  const { payment, how } = await startCoursePurchase(
    requestDeps(c),
    principal.userId,
    c.req.valid("param").id,
    c.req.valid("header")["idempotency-key"],
  );
  const body = { paymentId: payment.id, ...checkoutOf(payment) };
  if (how === "reused") return c.json(body, 200);
  if (how === "replayed") c.header("idempotent-replayed", "true");
  return c.json(body, 201);
});
