import { buildEvent, outboxRowOf, type EventData, type EventType } from "@platform/events";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { gatewayUrl } from "./api.ts";
import { db } from "./database.ts";

/**
 * Writes an event into another service's outbox, as that service would with its change, and
 * runs the sweep: for events a test needs without driving the service that would write them.
 */
export async function emitAs<T extends EventType>(schema: string, type: T, data: EventData<T>, correlationId = "test") {
  const event = buildEvent(type, data, { source: schema, correlationId });
  const row = outboxRowOf(event);
  await db.query(`insert into ${schema}.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)`, [
    row.id,
    row.type,
    row.topic,
    row.aggregateId,
    JSON.stringify(row.envelope),
  ]);
  await triggerOutboxSweep(gatewayUrl);
  return event;
}
