import { hasPersonalData, publicProjection, type EventEnvelope } from "@platform/events";
import type { OutboxEvent } from "./outbox.ts";

/**
 * The Kafka message value of an outbox row: the event's public form, never its personal fields.
 * Kafka keeps a message for the topic's retention and hands it to every integrator, so an erasure
 * could not take an email back once it was there. A type without personal fields goes out as stored,
 * byte for byte (no parse, no re-serialisation on the relay's hot path); the others, and any type
 * this bridge's catalogue does not know, are parsed and projected (docs/kafka-bridge.md#what-integrators-get).
 * The row's `type` is the envelope's own (`outboxRowOf` copies it).
 */
export function publicValueOf(event: Pick<OutboxEvent, "type" | "value">): string {
  if (!hasPersonalData(event.type)) return event.value;
  return JSON.stringify(publicProjection(JSON.parse(event.value) as EventEnvelope));
}
