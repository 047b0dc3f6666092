import { z } from "zod";
import { eventMetadataSchema, type EventEnvelope } from "./envelope.ts";
import { EVENT_CATALOG, isEventType, type EventData, type EventType } from "./catalog.ts";

/** Any catalogued event, discriminated on `type`. */
export type PlatformEvent = { [T in EventType]: EventEnvelope<T, EventData<T>> }[EventType];

export type ParsedEvent = { ok: true; event: PlatformEvent } | { ok: false; issues: string[] };

const envelopeShape = z.object({
  id: z.uuid({ version: "v7" }),
  type: z.string().min(1).max(64),
  source: z.string().min(1).max(64),
  version: z.int().min(1),
  aggregateId: z.string().min(1).max(200),
  data: z.unknown(),
  metadata: eventMetadataSchema,
});

const issuesOf = (error: z.ZodError, prefix = "") =>
  error.issues.map((issue) => `${prefix}${issue.path.join(".") || "(root)"}: ${issue.message}`);

/**
 * Checks something that claims to be a platform event (a Queue message, a Kafka message from an
 * integrator) against the same catalogue the writers use: the envelope, a known type at its
 * current version, the data schema, and an aggregate key that matches the data (a mismatched key
 * would put the event on the wrong partition and break per-aggregate order).
 */
export function parseEvent(input: unknown): ParsedEvent {
  const envelope = envelopeShape.safeParse(input);
  if (!envelope.success) return { ok: false, issues: issuesOf(envelope.error) };
  const { type, version, data, aggregateId } = envelope.data;
  if (!isEventType(type)) return { ok: false, issues: [`type: unknown event type ${JSON.stringify(type)}`] };
  const definition = EVENT_CATALOG[type];
  if (version !== definition.version) {
    return { ok: false, issues: [`version: ${type} is at version ${definition.version}, not ${version}`] };
  }
  const parsedData = definition.data.safeParse(data);
  if (!parsedData.success) return { ok: false, issues: issuesOf(parsedData.error, "data.") };
  const expectedKey = definition.aggregateId(parsedData.data as never);
  if (aggregateId !== expectedKey) {
    return { ok: false, issues: [`aggregateId: expected ${expectedKey} for this ${type}`] };
  }
  return { ok: true, event: { ...envelope.data, type, data: parsedData.data } as PlatformEvent };
}
