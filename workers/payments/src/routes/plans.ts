import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError, principalOf } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import type { PaymentsEnv } from "../env.ts";
import { createPlan, listPlans, updatePlan } from "../plans.ts";
import { chargeablePriceSchema, idParam, planSchema, presentPlan } from "./schemas.ts";

const admins = anyRole(["admin"], "Only admins manage plans.");
/** What is on offer is public; whether a caller may see retired plans too is the handler's question. */
const anyone = publicAccess("the plans on offer are public: anyone may see them before signing in");

const planName = z.string().trim().min(1).max(120).openapi({ example: "All access, monthly" });
const planPrice = chargeablePriceSchema;

const planInput = z
  .strictObject({
    name: planName,
    interval: z.enum(["month", "year"]),
    price: planPrice,
    active: z.boolean().default(true),
  })
  .openapi("PlanInput");

/** No defaults here: a field left out stays as it is. The interval is not among them (see updatePlan). */
const planPatch = z
  .strictObject({ name: planName, price: planPrice, active: z.boolean() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "change at least one field")
  .openapi("PlanPatch");

const list = defineRoute(anyone, {
  method: "get",
  operationId: "listPlans",
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
    200: {
      description: "Plans, monthly first, cheapest first",
      content: json(z.object({ items: z.array(planSchema) })),
    },
    403: problem("Only admins see retired plans"),
  },
});

const create = defineRoute(admins, {
  method: "post",
  operationId: "createPlan",
  path: "/api/payments/plans",
  summary: "Offer a plan (admins)",
  tags: ["payments"],
  request: { body: { required: true, content: json(planInput) } },
  responses: { 201: { description: "Created", content: json(planSchema) } },
});

const update = defineRoute(admins, {
  method: "patch",
  operationId: "updatePlan",
  path: "/api/payments/plans/{id}",
  summary: "Change a plan's name, price or availability (admins); running subscriptions keep their price",
  tags: ["payments"],
  request: { params: idParam, body: { required: true, content: json(planPatch) } },
  responses: {
    200: { description: "Changed", content: json(planSchema) },
    404: problem("No such plan"),
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
    const { price, ...rest } = c.req.valid("json");
    const plan = await createPlan(c.var.database().db, {
      ...rest,
      amountMinor: price.amountMinor,
      currency: price.currency,
    });
    return c.json(presentPlan(plan), 201);
  })
  .openapi(update, async (c) => {
    const { price, ...rest } = c.req.valid("json");
    const plan = await updatePlan(c.var.database().db, c.req.valid("param").id, {
      ...rest,
      ...(price && { amountMinor: price.amountMinor, currency: price.currency }),
    });
    return c.json(presentPlan(plan), 200);
  });
