import { z } from "zod";

/**
 * The seed's `KafkaEvent<T>` envelope (`type`, `data`, `metadata.timestamp`,
 * `metadata.correlationId`), extended with the event's own id (UUIDv7, what every consumer
 * dedupes on), the service that wrote it, a schema version and the aggregate it is about
 * (the Kafka key, so events of one aggregate stay in order).
 */
export const eventMetadataSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(128),
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
