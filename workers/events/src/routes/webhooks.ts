import { OpenAPIHono, z } from "@hono/zod-openapi";
import { EVENT_TYPES, type EventType } from "@platform/events";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem, withScope } from "@platform/service-kit";
import type { EventsEnv } from "../env.ts";
import {
  changeEndpoint,
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  MAX_ROTATION_GRACE_SECONDS,
  rotateSigningSecret,
  type WebhookEndpoint,
} from "../webhooks/endpoints.ts";
import { webhookSettings } from "../webhooks/settings.ts";
import { targetProblem } from "../webhooks/target-policy.ts";

/**
 * Outbound webhooks (docs/integrators.md#webhooks): endpoints an admin (or an API key with
 * webhooks:manage) subscribes to event types. Events carry personal data (a USER_CREATED's
 * address), so an API key that subscribes also needs events:read, as reading the feed does.
 */
export const webhookManagers = withScope(
  anyRole(["admin"], "Only an admin, or an API key with webhooks:manage, can manage webhook endpoints."),
  "webhooks:manage",
);

const eventTypes = z
  .array(z.enum(EVENT_TYPES as [EventType, ...EventType[]]))
  .min(1)
  .max(EVENT_TYPES.length)
  .describe("The event types to deliver to it");

const url = z.string().max(2_000).describe("Where to POST each event: https, on a public host");
const description = z.string().max(500).describe("What it is for, for whoever reads the list");

export const endpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    /** Since when every attempt has failed; null while the last attempt succeeded. */
    failingSince: z.iso.datetime({ offset: true }).nullable(),
    disabledAt: z.iso.datetime({ offset: true }).nullable(),
    disabledReason: z.string().nullable(),
    ownerId: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi("WebhookEndpoint");

export const presentEndpoint = (endpoint: WebhookEndpoint): z.infer<typeof endpointSchema> => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  eventTypes: endpoint.eventTypes,
  enabled: endpoint.disabledAt === null,
  failingSince: endpoint.failingSince?.toISOString() ?? null,
  disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  disabledReason: endpoint.disabledReason,
  ownerId: endpoint.ownerId,
  createdAt: endpoint.createdAt.toISOString(),
  updatedAt: endpoint.updatedAt.toISOString(),
});

export const endpointParams = z.object({ id: z.uuid() });

const create = defineRoute(webhookManagers, {
  method: "post",
  operationId: "createWebhookEndpoint",
  path: "/api/events/webhooks",
  summary: "Subscribe a URL to event types; answers its signing secret, once (admin, or webhooks:manage)",
  description:
    "Each event of those types is POSTed to the URL, signed as Standard Webhooks says (`webhook-id`, " +
    "`webhook-timestamp`, `webhook-signature`) with the secret answered here, `whsec_…`: keep it, it is not " +
    "shown again. A delivery that fails is retried for about three days; an endpoint whose deliveries keep " +
    "failing is disabled and its owner told. The URL must be https on a public host.",
  tags: ["webhooks"],
  request: {
    body: {
      required: true,
      content: json(z.object({ url, eventTypes, description: description.default("") })),
    },
  },
  responses: {
    201: {
      description: "Subscribed",
      content: json(
        endpointSchema.extend({ secret: z.string().describe("The signing secret, `whsec_<base64>`: shown once") }),
      ),
    },
    400: problem("Invalid body"),
    422: problem("A URL the platform will not deliver to (not https, a private or loopback address)"),
  },
});

const list = defineRoute(webhookManagers, {
  method: "get",
  operationId: "listWebhookEndpoints",
  path: "/api/events/webhooks",
  summary: "Webhook endpoints, newest first (admin, or webhooks:manage)",
  tags: ["webhooks"],
  request: {
    query: z.object({
      after: z.uuid().optional().openapi({ description: "The `nextCursor` of the page before" }),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: {
    200: {
      description: "A page of endpoints",
      content: json(z.object({ items: z.array(endpointSchema), nextCursor: z.uuid().nullable() })),
    },
    400: problem("Invalid cursor or limit"),
  },
});

const read = defineRoute(webhookManagers, {
  method: "get",
  operationId: "getWebhookEndpoint",
  path: "/api/events/webhooks/{id}",
  summary: "One webhook endpoint (admin, or webhooks:manage)",
  tags: ["webhooks"],
  request: { params: endpointParams },
  responses: {
    200: { description: "The endpoint", content: json(endpointSchema) },
    400: problem("Invalid id"),
    404: problem("No such endpoint"),
  },
});

const change = defineRoute(webhookManagers, {
  method: "patch",
  operationId: "updateWebhookEndpoint",
  path: "/api/events/webhooks/{id}",
  summary: "Change an endpoint's URL, event types or description, or pause and enable it (admin, or webhooks:manage)",
  description:
    "`enabled: true` starts deliveries again after the platform disabled the endpoint (or an admin paused it) " +
    "and forgets its failure streak; events that came while it was disabled are not sent.",
  tags: ["webhooks"],
  request: {
    params: endpointParams,
    body: {
      required: true,
      content: json(
        z
          .object({ url, eventTypes, description, enabled: z.boolean() })
          .partial()
          .refine((body) => Object.keys(body).length > 0, { message: "Say what to change." }),
      ),
    },
  },
  responses: {
    200: { description: "The endpoint, changed", content: json(endpointSchema) },
    400: problem("Invalid id or body"),
    404: problem("No such endpoint"),
    422: problem("A URL the platform will not deliver to"),
  },
});

const remove = defineRoute(webhookManagers, {
  method: "delete",
  operationId: "deleteWebhookEndpoint",
  path: "/api/events/webhooks/{id}",
  summary: "Delete an endpoint with its delivery log (admin, or webhooks:manage)",
  tags: ["webhooks"],
  request: { params: endpointParams },
  responses: {
    204: { description: "Deleted" },
    400: problem("Invalid id"),
    404: problem("No such endpoint"),
  },
});

const rotate = defineRoute(webhookManagers, {
  method: "post",
  operationId: "rotateWebhookSecret",
  path: "/api/events/webhooks/{id}/secret/rotate",
  summary:
    "Give an endpoint a new signing secret, the old one still signing for a grace period (admin, or webhooks:manage)",
  description:
    "Answers the new secret, once. Until `previousSecretValidUntil` every delivery carries two signatures in " +
    "`webhook-signature` (one per secret, space-separated), so the receiver can switch to the new secret " +
    "before the old one stops.",
  tags: ["webhooks"],
  request: {
    params: endpointParams,
    body: {
      required: false,
      content: json(
        z.object({
          graceSeconds: z
            .int()
            .min(0)
            .max(MAX_ROTATION_GRACE_SECONDS)
            .default(86_400)
            .describe("How long the old secret keeps signing: default a day, at most a week, 0 for not at all"),
        }),
      ),
    },
  },
  responses: {
    200: {
      description: "Rotated",
      content: json(
        endpointSchema.extend({
          secret: z.string().describe("The new signing secret, `whsec_<base64>`: shown once"),
          previousSecretValidUntil: z.iso.datetime({ offset: true }).nullable(),
        }),
      ),
    },
    400: problem("Invalid id or body"),
    404: problem("No such endpoint"),
  },
});

/** An API key that subscribes an endpoint to events must be one that may read them. */
function requireEventsRead(c: Parameters<typeof requirePrincipal>[0]): void {
  const apiKey = requirePrincipal(c).apiKey;
  if (apiKey && !apiKey.scopes.includes("events:read")) {
    throw new ProblemError("forbidden", {
      detail: "Subscribing to events sends them to the endpoint: this API key also needs events:read.",
    });
  }
}

function requireDeliverable(target: string, env: EventsEnv["Bindings"]): void {
  const refused = targetProblem(target, webhookSettings(env).insecureHosts);
  if (refused) {
    throw new ProblemError("unprocessable", {
      detail: `The platform will not deliver to ${target}: it ${refused}.`,
      errors: [{ path: "json.url", message: refused }],
    });
  }
}

const notFound = (id: string) => new ProblemError("not-found", { detail: `There is no webhook endpoint ${id}.` });

export const webhookEndpointRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(create, async (c) => {
    requireEventsRead(c);
    const body = c.req.valid("json");
    requireDeliverable(body.url, c.env);
    const { endpoint, secret } = await createEndpoint(c.var.database().db, webhookSettings(c.env), {
      ownerId: requirePrincipal(c).userId,
      url: body.url,
      description: body.description,
      eventTypes: [...new Set(body.eventTypes)],
    });
    return c.json({ ...presentEndpoint(endpoint), secret }, 201);
  })
  .openapi(list, async (c) => {
    const { after, limit } = c.req.valid("query");
    const page = await listEndpoints(c.var.database().db, { ...(after && { after }), limit });
    return c.json({ items: page.items.map(presentEndpoint), nextCursor: page.nextCursor }, 200);
  })
  .openapi(read, async (c) => {
    const { id } = c.req.valid("param");
    const endpoint = await findEndpoint(c.var.database().db, id);
    if (!endpoint) throw notFound(id);
    return c.json(presentEndpoint(endpoint), 200);
  })
  .openapi(change, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    if (body.eventTypes) requireEventsRead(c);
    if (body.url !== undefined) requireDeliverable(body.url, c.env);
    const changed = await changeEndpoint(c.var.database().db, id, {
      ...body,
      ...(body.eventTypes && { eventTypes: [...new Set(body.eventTypes)] }),
    });
    if (!changed) throw notFound(id);
    return c.json(presentEndpoint(changed), 200);
  })
  .openapi(rotate, async (c) => {
    const { id } = c.req.valid("param");
    // Without a JSON body the validator is skipped and answers {}: the default applies then too.
    const graceSeconds = (c.req.valid("json") as { graceSeconds?: number }).graceSeconds ?? 86_400;
    const rotated = await rotateSigningSecret(c.var.database().db, webhookSettings(c.env), id, graceSeconds);
    if (!rotated) throw notFound(id);
    return c.json(
      {
        ...presentEndpoint(rotated.endpoint),
        secret: rotated.secret,
        previousSecretValidUntil: rotated.endpoint.previousSecretExpiresAt?.toISOString() ?? null,
      },
      200,
    );
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deleteEndpoint(c.var.database().db, id))) throw notFound(id);
    return c.body(null, 204);
  });
