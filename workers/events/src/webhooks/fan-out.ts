import { v7 as uuidv7 } from "uuid";
import type { PlatformEvent } from "@platform/events";
import type { Queryable } from "../db/database.ts";
import { webhookDeliveries } from "../db/schema.ts";
import { enabledEndpoints } from "./endpoints.ts";

/**
 * The body every attempt of a delivery sends, in the Standard Webhooks shape (`type`, `timestamp`,
 * `data`), with the event's id, source and correlation id beside them so a receiver can find the
 * same event in the feed (`GET /api/events`) or follow it across systems.
 */
export function webhookPayload(event: PlatformEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.metadata.timestamp,
    data: event.data,
    eventId: event.id,
    source: event.source,
    aggregateId: event.aggregateId,
    correlationId: event.metadata.correlationId,
  });
}

/**
 * Writes one delivery per event and enabled endpoint subscribed to its type, inside the transaction
 * that adds the events to the feed: an event is in the feed exactly when its deliveries exist, and a
 * redelivered event (already in the feed, so not passed here) makes none. Sending is left to the
 * caller, after commit. Answers the new deliveries' ids.
 */
export async function queueWebhookDeliveries(tx: Queryable, events: readonly PlatformEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const endpoints = await enabledEndpoints(tx);
  const rows = events.flatMap((event) =>
    endpoints
      .filter((endpoint) => endpoint.eventTypes.includes(event.type))
      .map((endpoint) => ({
        id: uuidv7(),
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        payload: webhookPayload(event),
      })),
  );
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(webhookDeliveries)
    .values(rows)
    .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
    .returning({ id: webhookDeliveries.id });
  return inserted.map((row) => row.id);
}
