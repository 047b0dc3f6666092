import { isDomainService, type OutboxRelayRpc, type ServiceBindingName } from "@platform/contracts";
import { INBOUND_EVENT_TYPES, type PlatformEvent } from "@platform/events";
import { errorText, logLine } from "@platform/http-kit";

/** The workers whose outboxes feed the Queue, other than this one: each confirms its own rows. */
export type ProducerBinding = Exclude<ServiceBindingName, "EVENTS">;
export type Producers = Readonly<Record<ProducerBinding, Pick<OutboxRelayRpc, "confirmDelivered">>>;

/** Where an event's outbox row lives: a producing worker's binding, or this worker's own outbox. */
export type ConfirmationTarget = ProducerBinding | "EVENTS";

/**
 * Integrators' events are written to this worker's outbox whatever `source` they claim (an
 * integrator chooses it), so their type decides; the platform's own events carry the name of the
 * service that wrote them, which is the schema of their outbox.
 */
export function confirmationTarget(event: Pick<PlatformEvent, "type" | "source">): ConfirmationTarget {
  if (INBOUND_EVENT_TYPES.includes(event.type)) return "EVENTS";
  return isDomainService(event.source) ? (event.source.toUpperCase() as ConfirmationTarget) : "EVENTS";
}

/** Event ids per outbox, in the order they came. */
export function groupByTarget(
  events: ReadonlyArray<Pick<PlatformEvent, "id" | "type" | "source">>,
): Map<ConfirmationTarget, string[]> {
  const groups = new Map<ConfirmationTarget, string[]>();
  for (const event of events) {
    const target = confirmationTarget(event);
    groups.set(target, [...(groups.get(target) ?? []), event.id]);
  }
  return groups;
}

/**
 * Tells each producing worker, in one call per worker for the whole Queue batch, which of its
 * events every subscriber has applied. A confirmation that fails is only logged: the event is
 * then re-sent by the producer's sweep and deduplicated by every subscriber, and confirmed again.
 */
export async function confirmDeliveries(
  events: ReadonlyArray<Pick<PlatformEvent, "id" | "type" | "source">>,
  producers: Producers,
  own: Pick<OutboxRelayRpc, "confirmDelivered">,
): Promise<void> {
  await Promise.all(
    [...groupByTarget(events)].map(async ([target, eventIds]) => {
      try {
        await (target === "EVENTS" ? own : producers[target]).confirmDelivered(eventIds);
      } catch (error) {
        logLine("warn", "events", "could not confirm deliveries; the sweep will re-send them", {
          target,
          eventIds,
          error: errorText(error),
        });
      }
    }),
  );
}
