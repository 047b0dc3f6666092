import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, signedIn } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { listMyPayments } from "../my-payments.ts";
import { presentPurchase, presentSubscription, purchaseSchema, subscriptionSchema } from "./schemas.ts";

const mine = defineRoute(signedIn, {
  method: "get",
  operationId: "listMyPayments",
  path: "/api/payments/me",
  summary: "Your purchases and subscriptions, newest first",
  tags: ["payments"],
  request: {
    query: z.object({ cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: {
      description: "A page; pass `nextCursor` as `cursor` for the next",
      content: json(
        z
          .object({ items: z.array(z.union([purchaseSchema, subscriptionSchema])), nextCursor: z.uuid().nullable() })
          .openapi("MyPaymentsPage"),
      ),
    },
  },
});

export const meRoutes = new OpenAPIHono<PaymentsEnv>().openapi(mine, async (c) => {
  const principal = requirePrincipal(c);
  const query = c.req.valid("query");
  const page = await listMyPayments(c.var.database().db, principal.userId, {
    limit: query.limit,
    ...(query.cursor && { cursor: query.cursor }),
  });
  return c.json(
    {
      items: page.items.map((item) =>
        item.kind === "purchase" ? presentPurchase(item.row) : presentSubscription(item.row),
      ),
      nextCursor: page.nextCursor,
    },
    200,
  );
});
