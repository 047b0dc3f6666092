import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { listMismatches, resolveMismatch, type Mismatch } from "../mismatch-resolution.ts";
import { idParam } from "./schemas.ts";

const admins = anyRole(["admin"], "Only admins see and resolve Stripe event mismatches.");

const instant = z.iso.datetime({ offset: true });

const mismatchSchema = z
  .object({
    id: z.uuid(),
    paymentId: z.uuid().nullable().openapi({ description: "The purchase the event named (or null: a subscription)" }),
    subscriptionId: z.uuid().nullable(),
    stripeEventId: z.string(),
    eventType: z.string().openapi({ example: "checkout.session.completed" }),
    differences: z.array(
      z.object({
        field: z.string().openapi({ example: "amount" }),
        expected: z.union([z.string(), z.number()]).nullable(),
        received: z.union([z.string(), z.number()]),
      }),
    ),
    decision: z.enum(["refused", "applied"]).openapi({
      description: "refused: a granting event, not applied; applied: it only took access away, so it was applied",
    }),
    at: instant,
    resolution: z
      .object({ resolution: z.enum(["accepted", "dismissed"]), by: z.uuid(), at: instant, note: z.string() })
      .nullable(),
  })
  .openapi("EventMismatch");

function presentMismatch(row: Mismatch): z.infer<typeof mismatchSchema> {
  return {
    id: row.id,
    paymentId: row.paymentId,
    subscriptionId: row.subscriptionId,
    stripeEventId: row.stripeEventId,
    eventType: row.eventType,
    differences: row.differences as z.infer<typeof mismatchSchema>["differences"],
    decision: row.decision,
    at: row.at.toISOString(),
    resolution:
      row.resolution && row.resolvedBy && row.resolvedAt
        ? {
            resolution: row.resolution,
            by: row.resolvedBy,
            at: row.resolvedAt.toISOString(),
            note: row.resolutionNote ?? "",
          }
        : null,
  };
}

const list = defineRoute(admins, {
  method: "get",
  operationId: "listPaymentMismatches",
  path: "/api/payments/mismatches",
  summary: "Stripe events that disagreed with the payment they named, newest first (admins)",
  tags: ["payments"],
  request: {
    query: z.object({
      status: z.enum(["open", "resolved"]).default("open"),
      cursor: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: {
      description: "A page; pass `nextCursor` as `cursor` for the next",
      content: json(
        z.object({ items: z.array(mismatchSchema), nextCursor: z.uuid().nullable() }).openapi("EventMismatchPage"),
      ),
    },
  },
});

const resolve = defineRoute(admins, {
  method: "post",
  operationId: "resolvePaymentMismatch",
  path: "/api/payments/mismatches/{id}/resolve",
  summary: "Resolve a Stripe event mismatch (admins)",
  description:
    "`accepted`: you checked with Stripe and the event is genuine; a refused event is then applied " +
    "(a purchase becomes paid and `COURSE_PURCHASED` is published; a subscription activates). " +
    "`dismissed`: the payment stays as it is. Either way the status history records who, when and why.",
  tags: ["payments"],
  request: {
    params: idParam,
    body: {
      required: true,
      content: json(
        z
          .strictObject({
            resolution: z.enum(["accepted", "dismissed"]),
            note: z.string().trim().min(1).max(1000).openapi({ description: "What you checked, for the record" }),
          })
          .openapi("MismatchResolution"),
      ),
    },
  },
  responses: {
    200: { description: "Resolved", content: json(mismatchSchema) },
    404: problem("No such mismatch"),
    409: problem("Already resolved, or recorded without the event needed to apply it"),
  },
});

export const mismatchRoutes = new OpenAPIHono<PaymentsEnv>()
  .openapi(list, async (c) => {
    const query = c.req.valid("query");
    const page = await listMismatches(c.var.database().db, {
      status: query.status,
      limit: query.limit,
      ...(query.cursor && { cursor: query.cursor }),
    });
    return c.json({ items: page.items.map(presentMismatch), nextCursor: page.nextCursor }, 200);
  })
  .openapi(resolve, async (c) => {
    const resolved = await resolveMismatch(
      c.var.database().db,
      requirePrincipal(c),
      c.req.valid("param").id,
      c.req.valid("json"),
      c.var.correlationId,
    );
    return c.json(presentMismatch(resolved), 200);
  });
