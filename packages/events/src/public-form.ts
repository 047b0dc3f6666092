import type { z } from "zod";
import type { EventEnvelope, eventMetadataSchema } from "./envelope.ts";
import { EVENT_CATALOG, isEventType, type EventData, type EventType, type PersonalField } from "./catalog.ts";

/**
 * The public form of an event: what leaves the platform (the Kafka topics, so every integrator).
 * The same envelope as inside the platform (type, version, id, aggregate key unchanged) minus the
 * type's personal data fields; `metadata.redacted` names the fields taken out of this event, and is
 * absent when there was nothing to take out (then the public form is the event byte for byte).
 * Events are about people through the account id only: an integrator that needs a name or an address
 * asks the platform's API with the rights it has there, and forgets it when USER_DELETED comes.
 */
export const PUBLIC_FORM = "public";

/**
 * The Kafka header the bridge puts on every message it publishes, `event-form: public`, so a consumer
 * can tell without parsing that the value is the public form (`parsePublicEvent`), not the platform's
 * full event (`parseEvent`).
 */
export const EVENT_FORM_HEADER = "event-form";

export type PublicEventData<T extends EventType> = Omit<EventData<T>, PersonalField<T>>;

export interface PublicEventMetadata extends z.infer<typeof eventMetadataSchema> {
  /** The personal fields removed from `data`, in catalogue order; absent when none were. */
  readonly redacted?: readonly string[];
}

export interface PublicEventEnvelope<TType extends string = string, TData = unknown> extends Omit<
  EventEnvelope<TType, TData>,
  "metadata"
> {
  readonly metadata: PublicEventMetadata;
}

export type PublicPlatformEvent = {
  [T in EventType]: PublicEventEnvelope<T, PublicEventData<T>>;
}[EventType];

/** The fields of a type that never leave the platform; empty for an id-only type. */
export function personalFieldsOf(type: EventType): readonly string[] {
  return EVENT_CATALOG[type].personalData;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The public form of a stored envelope. Fails closed: for a type this catalogue does not know (an
 * older bridge than the writer that added it) it cannot tell which fields are personal, so every data
 * field is withheld and listed in `redacted`.
 */
export function publicProjection<T extends EventType>(
  envelope: EventEnvelope<T, EventData<T>>,
): PublicEventEnvelope<T, PublicEventData<T>>;
export function publicProjection(envelope: EventEnvelope): PublicEventEnvelope;
export function publicProjection(envelope: EventEnvelope): PublicEventEnvelope {
  if (!isEventType(envelope.type)) {
    const withheld = isRecord(envelope.data) ? Object.keys(envelope.data) : [];
    return { ...envelope, data: {}, metadata: { ...envelope.metadata, redacted: withheld } };
  }
  const data = isRecord(envelope.data) ? envelope.data : {};
  const redacted = personalFieldsOf(envelope.type).filter((field) => Object.hasOwn(data, field));
  if (redacted.length === 0) return envelope;
  const kept = Object.fromEntries(Object.entries(data).filter(([field]) => !redacted.includes(field)));
  return { ...envelope, data: kept, metadata: { ...envelope.metadata, redacted } };
}

/** Whether any event of this type can carry something the public form removes (unknown types: yes). */
export function hasPersonalData(type: string): boolean {
  return !isEventType(type) || personalFieldsOf(type).length > 0;
}
