import { z } from "zod";
import { eventMetadataSchema, type EventEnvelope } from "./envelope.ts";
import { EVENT_CATALOG, EVENT_TYPES, isEventType, type EventData, type EventType } from "./catalog.ts";
import type { PublicPlatformEvent } from "./public-form.ts";

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

type Form = "full" | "public";

/**
 * Each type's data schema in its public form: the catalogue's without the personal fields (a public
 * event never has them; were one there anyway, parsing strips it like any unknown key).
 */
const PUBLIC_DATA: Readonly<Record<EventType, z.ZodObject>> = Object.fromEntries(
  EVENT_TYPES.map((type) => {
    const definition = EVENT_CATALOG[type];
    const personal = Object.fromEntries(definition.personalData.map((field) => [field, true as const]));
    return [type, (definition.data as z.ZodObject).omit(personal as Record<string, true> & Record<number, never>)];
  }),
) as Record<EventType, z.ZodObject>;

const publicMetadata = eventMetadataSchema.extend({ redacted: z.array(z.string().min(1).max(64)).optional() });

function parseAs(input: unknown, form: Form): { ok: true; event: unknown } | { ok: false; issues: string[] } {
  const envelope = (form === "public" ? envelopeShape.extend({ metadata: publicMetadata }) : envelopeShape).safeParse(
    input,
  );
  if (!envelope.success) return { ok: false, issues: issuesOf(envelope.error) };
  const { type, version, data, aggregateId } = envelope.data;
  if (!isEventType(type)) return { ok: false, issues: [`type: unknown event type ${JSON.stringify(type)}`] };
  const definition = EVENT_CATALOG[type];
  if (version !== definition.version) {
    return { ok: false, issues: [`version: ${type} is at version ${definition.version}, not ${version}`] };
  }
  const parsedData = (form === "public" ? PUBLIC_DATA[type] : definition.data).safeParse(data);
  if (!parsedData.success) return { ok: false, issues: issuesOf(parsedData.error, "data.") };
  // No aggregate key is derived from a personal field, so the public form is checked the same way.
  const expectedKey = definition.aggregateId(parsedData.data as never);
  if (aggregateId !== expectedKey) {
    return { ok: false, issues: [`aggregateId: expected ${expectedKey} for this ${type}`] };
  }
  return { ok: true, event: { ...envelope.data, type, data: parsedData.data } };
}

/**
 * Checks something that claims to be a platform event (a Queue message, a Kafka message from an
 * integrator) against the same catalogue the writers use: the envelope, a known type at its
 * current version, the data schema, and an aggregate key that matches the data (a mismatched key
 * would put the event on the wrong partition and break per-aggregate order).
 */
export function parseEvent(input: unknown): ParsedEvent {
  const parsed = parseAs(input, "full");
  return parsed.ok ? { ok: true, event: parsed.event as PlatformEvent } : parsed;
}

export type ParsedPublicEvent = { ok: true; event: PublicPlatformEvent } | { ok: false; issues: string[] };

/**
 * The same checks for an event in its public form, as the Kafka bridge publishes it on the five
 * topics (`publicProjection`): the personal fields are not there, and `metadata.redacted` may say
 * which were taken out. For consumers of those topics; `parseEvent` would refuse a public
 * USER_CREATED for its missing email and name.
 */
export function parsePublicEvent(input: unknown): ParsedPublicEvent {
  const parsed = parseAs(input, "public");
  return parsed.ok ? { ok: true, event: parsed.event as PublicPlatformEvent } : parsed;
}
