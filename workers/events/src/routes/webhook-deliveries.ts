import { OpenAPIHono, z } from "@hono/zod-openapi";
import { EVENT_TYPES, type EventType } from "@platform/events";
import { ProblemError, errorText, logLine } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { openDatabase } from "@platform/db";
import * as schema from "../db/schema.ts";
import type { EventsEnv } from "../env.ts";
import { redeliverNow } from "../webhooks/deliver.ts";
import { findDelivery, listDeliveries, type WebhookAttempt, type WebhookDelivery } from "../webhooks/delivery-log.ts";
import { findEndpoint } from "../webhooks/endpoints.ts";
import { webhookSettings } from "../webhooks/settings.ts";
import { endpointParams, webhookManagers } from "./webhooks.ts";

/** The delivery log of an endpoint, and an admin's redelivery (docs/integrators.md#webhooks). */

const instant = z.iso.datetime({ offset: true });

const deliverySchema = z
  .object({
    id: z.uuid().describe("The `webhook-id` every attempt of it carried: a receiver dedupes on it"),
    endpointId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.int().describe("Scheduled attempts made so far (manual redeliveries are in the log, not here)"),
    nextAttemptAt: instant.nullable().describe("When the next scheduled attempt is due; null unless pending"),
    lastAttemptAt: instant.nullable(),
    lastStatus: z.int().nullable().describe("The receiver's last HTTP status; null when it never answered"),
    lastError: z.string().nullable(),
    createdAt: instant,
    succeededAt: instant.nullable(),
  })
  .openapi("WebhookDelivery");

const attemptSchema = z
  .object({
    attemptedAt: instant,
    trigger: z.enum(["scheduled", "manual"]),
    status: z.int().nullable(),
    error: z.string().nullable(),
    responseExcerpt: z.string().nullable().describe("The start of the receiver's answer (at most 1 000 characters)"),
    durationMs: z.int(),
  })
  .openapi("WebhookAttempt");

const presentDelivery = (delivery: WebhookDelivery): z.infer<typeof deliverySchema> => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
  lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
  lastStatus: delivery.lastStatus,
  lastError: delivery.lastError,
  createdAt: delivery.createdAt.toISOString(),
  succeededAt: delivery.succeededAt?.toISOString() ?? null,
});

const presentAttempt = (attempt: WebhookAttempt): z.infer<typeof attemptSchema> => ({
  attemptedAt: attempt.attemptedAt.toISOString(),
  trigger: attempt.trigger,
  status: attempt.status,
  error: attempt.error,
  responseExcerpt: attempt.responseExcerpt,
  durationMs: attempt.durationMs,
});

const deliveryParams = endpointParams.extend({ deliveryId: z.uuid() });

const list = defineRoute(webhookManagers, {
  method: "get",
  operationId: "listWebhookDeliveries",
  path: "/api/events/webhooks/{id}/deliveries",
  summary: "An endpoint's deliveries, newest first (admin, or webhooks:manage)",
  tags: ["webhooks"],
  request: {
    params: endpointParams,
    query: z.object({
      status: z.enum(["pending", "succeeded", "failed"]).optional(),
      eventType: z.enum(EVENT_TYPES as [EventType, ...EventType[]]).optional(),
      before: z.uuid().optional().openapi({ description: "The `nextCursor` of the page before" }),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: {
    200: {
      description: "A page of the delivery log",
      content: json(z.object({ items: z.array(deliverySchema), nextCursor: z.uuid().nullable() })),
    },
    400: problem("Invalid id, status, event type, cursor or limit"),
    404: problem("No such endpoint"),
  },
});

const read = defineRoute(webhookManagers, {
  method: "get",
  operationId: "getWebhookDelivery",
  path: "/api/events/webhooks/{id}/deliveries/{deliveryId}",
  summary: "One delivery with every attempt and what the receiver answered (admin, or webhooks:manage)",
  tags: ["webhooks"],
  request: { params: deliveryParams },
  responses: {
    200: {
      description: "The delivery and its attempts, oldest first",
      content: json(deliverySchema.extend({ payload: z.string(), attemptLog: z.array(attemptSchema) })),
    },
    400: problem("Invalid ids"),
    404: problem("No such endpoint, or no such delivery of it"),
  },
});

const redeliver = defineRoute(webhookManagers, {
  method: "post",
  operationId: "redeliverWebhook",
  path: "/api/events/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  summary: "Send a delivery again now, with the same webhook-id (admin, or webhooks:manage)",
  description:
    "One attempt, made after the answer; its outcome appears in the delivery's log as `manual`. A success " +
    "marks the delivery succeeded; a failure leaves its state and schedule as they were.",
  tags: ["webhooks"],
  request: { params: deliveryParams },
  responses: {
    202: { description: "The attempt is on its way", content: json(deliverySchema) },
    400: problem("Invalid ids"),
    404: problem("No such endpoint, or no such delivery of it"),
    409: problem("The endpoint is disabled: enable it first"),
  },
});

export const webhookDeliveryRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const db = c.var.database().db;
    if (!(await findEndpoint(db, id))) {
      throw new ProblemError("not-found", { detail: `There is no webhook endpoint ${id}.` });
    }
    const page = await listDeliveries(db, id, c.req.valid("query"));
    return c.json({ items: page.items.map(presentDelivery), nextCursor: page.nextCursor }, 200);
  })
  .openapi(read, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    const found = await findDelivery(c.var.database().db, id, deliveryId);
    if (!found) throw new ProblemError("not-found", { detail: `Endpoint ${id} has no delivery ${deliveryId}.` });
    return c.json(
      {
        ...presentDelivery(found.delivery),
        payload: found.delivery.payload,
        attemptLog: found.attempts.map(presentAttempt),
      },
      200,
    );
  })
  .openapi(redeliver, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    const db = c.var.database().db;
    const endpoint = await findEndpoint(db, id);
    const found = endpoint && (await findDelivery(db, id, deliveryId));
    if (!endpoint || !found) {
      throw new ProblemError("not-found", { detail: `Endpoint ${id} has no delivery ${deliveryId}.` });
    }
    if (endpoint.disabledAt) {
      throw new ProblemError("conflict", { detail: "The endpoint is disabled: enable it before redelivering." });
    }
    // After the answer, on a database of its own: the request's is closed as soon as the handler returns.
    const database = openDatabase(c.env, schema);
    const settings = webhookSettings(c.env);
    c.executionCtx.waitUntil(
      redeliverNow(database.db, settings, endpoint, found.delivery)
        .catch((error: unknown) =>
          logLine("error", "events", "webhook redelivery failed", { deliveryId, error: errorText(error) }),
        )
        .finally(() => database.close().catch(() => undefined)),
    );
    return c.json(presentDelivery(found.delivery), 202);
  });
