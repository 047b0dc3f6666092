import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ProblemError, principalOf, requireRole } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { PaymentsEnv } from "../env.ts";
import { createPlan, listPlans, updatePlan } from "../plans.ts";
import { idParam, json, moneySchema, planSchema, presentPlan, security } from "./schemas.ts";

const ADMINS_ONLY = "Only admins manage plans.";

const planName = z.string().trim().min(1).max(120).openapi({ example: "All access, monthly" });
// Card networks do not charge less than about 50 cents; Stripe refuses smaller amounts.
const planPrice = moneySchema.extend({ amountMinor: z.int().min(50).max(100_000_000) });

const planInput = z
  .strictObject({ name: planName, interval: z.enum(["month", "year"]), price: planPrice, active: z.boolean().default(true) })
  .openapi("PlanInput");

/** No defaults here: a field left out stays as it is. The interval is not among them (see updatePlan). */
const planPatch = z
  .strictObject({ name: planName, price: planPrice, active: z.boolean() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "change at least one field")
  .openapi("PlanPatch");

const list = createRoute({
  method: "get",
  path: "/api/payments/plans",
  summary: "The all-access subscription plans on offer",
  tags: ["payments"],
  request: {
    query: z.object({
      includeInactive: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "Admins: list retired plans too" }),
    }),
  },
  responses: {
    200: { description: "Plans, monthly first, cheapest first", content: json(z.object({ items: z.array(planSchema) })) },
    403: { description: "Only admins see retired plans", content: problemContent },
  },
});

const create = createRoute({
  method: "post",
  path: "/api/payments/plans",
  summary: "Offer a plan (admins)",
  tags: ["payments"],
  security,
  request: { body: { required: true, content: json(planInput) } },
  responses: {
    201: { description: "Created", content: json(planSchema) },
    401: { description: "Not signed in", content: problemContent },
    403: { description: "Not an admin", content: problemContent },
  },
});

const update = createRoute({
  method: "patch",
  path: "/api/payments/plans/{id}",
  summary: "Change a plan's name, price or availability (admins); running subscriptions keep their price",
  tags: ["payments"],
  security,
  request: { params: idParam, body: { required: true, content: json(planPatch) } },
  responses: {
    200: { description: "Changed", content: json(planSchema) },
    401: { description: "Not signed in", content: problemContent },
    403: { description: "Not an admin", content: problemContent },
    404: { description: "No such plan", content: problemContent },
  },
});

export const planRoutes = new OpenAPIHono<PaymentsEnv>()
  .openapi(list, async (c) => {
    const includeInactive = c.req.valid("query").includeInactive === "true";
    if (includeInactive && !principalOf(c)?.roles.includes("admin")) {
      throw new ProblemError("forbidden", { detail: "Only admins see retired plans." });
    }
    const plans = await listPlans(c.var.database().db, { includeInactive });
    return c.json({ items: plans.map(presentPlan) }, 200);
  })
  .openapi(create, async (c) => {
    requireRole(c, "admin", ADMINS_ONLY);
    const { price, ...rest } = c.req.valid("json");
    const plan = await createPlan(c.var.database().db, { ...rest, amountMinor: price.amountMinor, currency: price.currency });
    return c.json(presentPlan(plan), 201);
  })
  .openapi(update, async (c) => {
    requireRole(c, "admin", ADMINS_ONLY);
    const { price, ...rest } = c.req.valid("json");
    const plan = await updatePlan(c.var.database().db, c.req.valid("param").id, {
      ...rest,
      ...(price && { amountMinor: price.amountMinor, currency: price.currency }),
    });
    return c.json(presentPlan(plan), 200);
  });
