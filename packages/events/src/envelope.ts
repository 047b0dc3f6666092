import { z } from "zod";
import { parseTraceparent } from "@platform/http-kit/trace";

/**
 * `metadata.traceparent`: the W3C trace context of the work that wrote the event (a request's span,
 * or the span of the event whose effect wrote it), so its consumers and its Kafka message continue
 * the same trace (docs/observability.md). Optional: events stored before it existed, and integrators'
 * events, have none. A value that is not a valid traceparent is dropped, never a reason to refuse an
 * event: the consumer then starts a trace of its own.
 */
const traceparentSchema = z
  .string()
  .refine((value) => parseTraceparent(value) !== undefined)
  .optional()
  .catch(undefined);

/**
 * The seed's `KafkaEvent<T>` envelope (`type`, `data`, `metadata.timestamp`,
 * `metadata.correlationId`), extended with the event's own id (UUIDv7, what every consumer
 * dedupes on), the service that wrote it, a schema version and the aggregate it is about
 * (the Kafka key, so events of one aggregate stay in order), and the trace it belongs to.
 */
export const eventMetadataSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(128),
  traceparent: traceparentSchema,
});

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly source: string;
  readonly version: number;
  readonly aggregateId: string;
  readonly data: TData;
  readonly metadata: z.infer<typeof eventMetadataSchema>;
}

export function envelopeSchemaFor<TType extends string, TData extends z.ZodType>(
  type: TType,
  version: number,
  data: TData,
) {
  return z.object({
    id: z.uuid({ version: "v7" }),
    type: z.literal(type),
    source: z.string().min(1),
    version: z.literal(version),
    aggregateId: z.string().min(1),
    data,
    metadata: eventMetadataSchema,
  });
}
