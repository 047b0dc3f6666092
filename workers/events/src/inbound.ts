import { INBOUND_EVENT_TYPES, outboxRowOf, parseEvent, type PlatformEvent } from "@platform/events";
import type { Database } from "./db/database.ts";
import { outbox } from "./db/schema.ts";

export type InboundCheck = { ok: true; event: PlatformEvent } | { ok: false; issues: string[] };

/** An integrator's event must be a valid platform event of a type integrators are allowed to send. */
export function checkInboundEvent(body: unknown): InboundCheck {
  const parsed = parseEvent(body);
  if (!parsed.ok) return parsed;
  if (!INBOUND_EVENT_TYPES.includes(parsed.event.type)) {
    return { ok: false, issues: [`type: integrators may send only ${INBOUND_EVENT_TYPES.join(", ")}`] };
  }
  return parsed;
}

/**
 * Accepts an integrator's event into this worker's outbox, from where it is relayed to the Queue
 * (and published on its Kafka topic) like any event the platform writes. The event id is unique
 * in the outbox, so a redelivery from Kafka is accepted again without a second copy.
 */
export async function acceptInboundEvent(db: Database, event: PlatformEvent): Promise<"accepted" | "duplicate"> {
  const inserted = await db
    .insert(outbox)
    .values(outboxRowOf(event))
    .onConflictDoNothing({ target: outbox.id })
    .returning({ id: outbox.id });
  return inserted.length > 0 ? "accepted" : "duplicate";
}
