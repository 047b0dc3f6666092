import { OpenAPIHono, z } from "@hono/zod-openapi";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import { listPayments } from "../admin-payments.ts";
import type { PaymentsEnv } from "../env.ts";
import { presentPurchase, purchaseSchema } from "./schemas.ts";

const admins = anyRole(["admin"], "Only admins see every payment.");

/** A purchase as its buyer sees it, and whose it is: admins find a buyer's payment to refund or explain it. */
const adminPurchaseSchema = purchaseSchema
  .extend({ userId: z.uuid().openapi({ description: "The buyer (a pseudonym after the buyer's erasure)" }) })
  .openapi("AdminPurchase");

const list = defineRoute(admins, {
  method: "get",
  operationId: "listPayments",
  path: "/api/payments",
  summary: "Every course purchase, newest first, filtered by status, buyer or course (admins)",
  description: "Refund one with `POST /api/payments/{id}/refund` (admins: any paid purchase, at any time).",
  tags: ["payments"],
  request: {
    query: z.object({
      status: purchaseSchema.shape.status.optional(),
      userId: z.uuid().optional(),
      courseId: z.uuid().optional(),
      cursor: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: {
      description: "A page; pass `nextCursor` as `cursor` (with the same filters) for the next",
      content: json(
        z.object({ items: z.array(adminPurchaseSchema), nextCursor: z.uuid().nullable() }).openapi("AdminPurchasePage"),
      ),
    },
    400: problem("Invalid query"),
  },
});

export const adminPaymentRoutes = new OpenAPIHono<PaymentsEnv>().openapi(list, async (c) => {
  const { status, userId, courseId, cursor, limit } = c.req.valid("query");
  const page = await listPayments(c.var.database().db, {
    limit,
    ...(status && { status }),
    ...(userId && { userId }),
    ...(courseId && { courseId }),
    ...(cursor && { cursor }),
  });
  return c.json(
    {
      items: page.items.map((payment) => ({ ...presentPurchase(payment), userId: payment.userId })),
      nextCursor: page.nextCursor,
    },
    200,
  );
});
