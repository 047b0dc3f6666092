import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Queryable } from "../db/database.ts";
import { webhookAttempts, webhookDeliveries } from "../db/schema.ts";

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type DeliveryStatus = WebhookDelivery["status"];

export interface DeliveryQuery {
  readonly status?: DeliveryStatus | undefined;
  readonly eventType?: string | undefined;
  /** The last delivery id of the page before (ids are UUIDv7: newest first is id order). */
  readonly before?: string | undefined;
  readonly limit: number;
}

/** An endpoint's deliveries, newest first, a page at a time. */
export async function listDeliveries(db: Queryable, endpointId: string, query: DeliveryQuery) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        query.eventType ? eq(webhookDeliveries.eventType, query.eventType as WebhookDelivery["eventType"]) : undefined,
        query.before ? lt(webhookDeliveries.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

/** One delivery of an endpoint with every attempt, oldest first; undefined when the endpoint has no such delivery. */
export async function findDelivery(
  db: Queryable,
  endpointId: string,
  deliveryId: string,
): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] } | undefined> {
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)));
  if (!delivery) return undefined;
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.id));
  return { delivery, attempts };
}
