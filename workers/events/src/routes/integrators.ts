import { OpenAPIHono, z } from "@hono/zod-openapi";
import { INBOUND_EVENT_TYPES, importIntegratorPublicKey, type EventType } from "@platform/events";
import { ProblemError } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { EventsEnv } from "../env.ts";
import { createIntegrator, disableIntegrator, listIntegrators, type Integrator } from "../integrators.ts";

const adminOnly = anyRole(["admin"], "Only an admin can manage integrators.");

const publicKeySchema = z
  .object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) })
  .describe("The integrator's Ed25519 public key as a JWK; the private key never leaves the integrator");

const scopeSchema = z
  .union([z.literal("all"), z.array(z.uuid()).min(1).max(1000)])
  .describe('The courses it may enroll learners in: "all", or a list of course ids');

const integratorSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  publicKey: publicKeySchema,
  eventTypes: z.array(z.string()),
  courses: scopeSchema,
  createdAt: z.iso.datetime({ offset: true }),
  disabledAt: z.iso.datetime({ offset: true }).nullable(),
});

const present = (integrator: Integrator): z.infer<typeof integratorSchema> => ({
  id: integrator.id,
  name: integrator.name,
  publicKey: integrator.publicKey,
  eventTypes: integrator.eventTypes,
  courses: integrator.scope.courses === "all" ? "all" : [...integrator.scope.courses],
  createdAt: integrator.createdAt.toISOString(),
  disabledAt: integrator.disabledAt?.toISOString() ?? null,
});

const create = defineRoute(adminOnly, {
  method: "post",
  operationId: "createIntegrator",
  path: "/api/events/integrators",
  summary: "Register an integrator allowed to send events through the Kafka bridge (admin)",
  tags: ["events"],
  request: {
    body: {
      required: true,
      content: json(
        z.object({
          name: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
            .describe("A slug; its events must carry `source: integrator:<name>`"),
          publicKey: publicKeySchema,
          eventTypes: z.array(z.enum(INBOUND_EVENT_TYPES as [EventType, ...EventType[]])).min(1),
          courses: scopeSchema,
        }),
      ),
    },
  },
  responses: {
    201: { description: "Registered", content: json(integratorSchema) },
    400: problem("Invalid body"),
    409: problem("An integrator of that name exists"),
    422: problem("The public key is not a usable Ed25519 key"),
  },
});

const list = defineRoute(adminOnly, {
  method: "get",
  operationId: "listIntegrators",
  path: "/api/events/integrators",
  summary: "Registered integrators, newest first (admin)",
  tags: ["events"],
  responses: {
    200: { description: "Every integrator", content: json(z.object({ items: z.array(integratorSchema) })) },
  },
});

const disable = defineRoute(adminOnly, {
  method: "post",
  operationId: "disableIntegrator",
  path: "/api/events/integrators/{id}/disable",
  summary: "Disable an integrator: its events are refused from now on (admin)",
  tags: ["events"],
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The integrator, disabled", content: json(integratorSchema) },
    400: problem("Invalid id"),
    404: problem("No such integrator"),
  },
});

export const integratorRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    try {
      await importIntegratorPublicKey(body.publicKey);
    } catch {
      throw new ProblemError("unprocessable", {
        detail: "The public key is not a usable Ed25519 key.",
        errors: [{ path: "json.publicKey", message: "not a usable Ed25519 public key" }],
      });
    }
    const created = await createIntegrator(c.var.database().db, {
      name: body.name,
      publicKey: body.publicKey,
      eventTypes: [...new Set(body.eventTypes)],
      scope: { courses: body.courses === "all" ? "all" : [...new Set(body.courses.map((id) => id.toLowerCase()))] },
    });
    if (!created) throw new ProblemError("conflict", { detail: `An integrator named ${body.name} exists.` });
    return c.json(present(created), 201);
  })
  .openapi(list, async (c) => c.json({ items: (await listIntegrators(c.var.database().db)).map(present) }, 200))
  .openapi(disable, async (c) => {
    const disabled = await disableIntegrator(c.var.database().db, c.req.valid("param").id);
    if (!disabled) throw new ProblemError("not-found", { detail: "No such integrator." });
    return c.json(present(disabled), 200);
  });
