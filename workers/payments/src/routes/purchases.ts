import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { PaymentsEnv } from "../env.ts";
import { startCoursePurchase } from "../purchases.ts";
import { requestDeps } from "./context.ts";
import { checkoutOf, idParam, idempotencyHeaders, json, purchaseCheckoutSchema, security } from "./schemas.ts";

const purchase = createRoute({
  method: "post",
  path: "/api/payments/courses/{id}",
  summary: "Buy a course: opens a checkout at the course's price (the seed's purchaseCourse)",
  description:
    "Answers where to send the buyer. Access is granted when the payment provider confirms the payment to " +
    "`POST /api/payments/webhooks/stripe`, never when the browser returns. With the same `Idempotency-Key` the " +
    "same checkout comes back (201, `Idempotent-Replayed: true`); without one, an open checkout of yours for " +
    "this course comes back (200).",
  tags: ["payments"],
  security,
  request: { params: idParam, headers: idempotencyHeaders },
  responses: {
    201: { description: "A checkout for this purchase", content: json(purchaseCheckoutSchema) },
    200: { description: "Your open checkout for this course", content: json(purchaseCheckoutSchema) },
    401: { description: "Not signed in", content: problemContent },
    404: { description: "No such course for sale (unknown or not published)", content: problemContent },
    409: { description: "Already yours (bought, being paid, or by subscription), or no longer sold", content: problemContent },
    422: { description: "A free course (enroll instead), or an Idempotency-Key used for another course", content: problemContent },
    502: { description: "The payment provider failed; retry with the same Idempotency-Key", content: problemContent },
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
