import {
  INBOUND_EVENT_TYPES,
  importIntegratorPublicKey,
  outboxRowOf,
  parseEvent,
  parseIntegratorSignature,
  verifyIntegratorSignature,
  type PlatformEvent,
} from "@platform/events";
import type { Database, Queryable } from "./db/database.ts";
import { outbox } from "./db/schema.ts";
import { courseInScope, findIntegrator, type Integrator } from "./integrators.ts";

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

export type IntegratorCheck = { ok: true; integrator: Integrator } | { ok: false; reason: string };

/**
 * Who wrote the event: a registered, enabled integrator whose Ed25519 signature over the exact
 * bytes verifies with its public key. The bridge's own signature proves only that the event came
 * through the bridge, and anyone who can write the inbound topic gets that.
 */
export async function authenticateIntegrator(
  db: Queryable,
  header: string | null | undefined,
  rawBody: string,
): Promise<IntegratorCheck> {
  const parsed = parseIntegratorSignature(header);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const integrator = await findIntegrator(db, parsed.value.integratorId);
  // Unknown and disabled read alike to the sender: neither may send anything.
  if (!integrator || integrator.disabledAt) return { ok: false, reason: "unknown or disabled integrator" };
  const key = await importIntegratorPublicKey(integrator.publicKey);
  const verified = await verifyIntegratorSignature(key, parsed.value, rawBody);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  return { ok: true, integrator };
}

/**
 * What the integrator may do: send this type, under its own name, and (for an enrollment, a
 * grant of paid access) only for the courses its scope lists.
 */
export function authorizeIntegratorEvent(integrator: Integrator, event: PlatformEvent): string | undefined {
  if (!integrator.eventTypes.includes(event.type)) return `integrator ${integrator.name} may not send ${event.type}`;
  if (event.source !== `integrator:${integrator.name}`)
    return `the event's source must be integrator:${integrator.name}`;
  if (event.type === "ENROLLMENT_REQUESTED" && !courseInScope(integrator.scope, event.data.courseId))
    return `course ${event.data.courseId} is outside integrator ${integrator.name}'s scope`;
  return undefined;
}
