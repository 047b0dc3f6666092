import { v7 as uuidv7 } from "uuid";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { currentTraceparent, parseTraceparent } from "@platform/http-kit/trace";
import type { EventEnvelope } from "./envelope.ts";
import { EVENT_CATALOG, type EventData, type EventType } from "./catalog.ts";

/** The columns of the outbox table every service schema has (see @platform/db `outboxTable`). */
export interface OutboxRow {
  id: string;
  type: string;
  topic: string;
  aggregateId: string;
  envelope: unknown;
}

export interface EventContext {
  /** The service writing the event, e.g. `auth`. */
  readonly source: string;
  readonly correlationId: string;
  /**
   * The trace the event continues; by default the span of the work in hand (the request, or the
   * event being applied), which the request middleware and the event consumer set. None outside one.
   */
  readonly traceparent?: string;
  readonly now?: Date;
}

export class InvalidEventError extends Error {
  readonly type: string;
  readonly issues: readonly string[];

  constructor(type: string, issues: readonly string[]) {
    super(`Refusing to write ${type}: ${issues.join("; ")}`);
    this.name = "InvalidEventError";
    this.type = type;
    this.issues = issues;
  }
}

/** Validates the data against its schema and builds the envelope; invalid data never reaches the outbox. */
export function buildEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  context: EventContext,
): EventEnvelope<T, EventData<T>> {
  const definition = EVENT_CATALOG[type];
  const parsed = definition.data.safeParse(data);
  if (!parsed.success) {
    throw new InvalidEventError(
      type,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(data)"}: ${issue.message}`),
    );
  }
  const valid = parsed.data as EventData<T>;
  const given = context.traceparent && parseTraceparent(context.traceparent) ? context.traceparent : undefined;
  const traceparent = given ?? currentTraceparent();
  return {
    id: uuidv7(),
    type,
    source: context.source,
    version: definition.version,
    aggregateId: definition.aggregateId(valid as never),
    data: valid,
    metadata: {
      timestamp: (context.now ?? new Date()).toISOString(),
      correlationId: context.correlationId,
      ...(traceparent && { traceparent }),
    },
  };
}

export function outboxRowOf(envelope: EventEnvelope): OutboxRow {
  const type = envelope.type as EventType;
  return {
    id: envelope.id,
    type: envelope.type,
    topic: EVENT_CATALOG[type].topic,
    aggregateId: envelope.aggregateId,
    envelope,
  };
}

/**
 * Writes an event into the service's outbox inside the caller's transaction, so the change and
 * its event commit or roll back together.
 */
export async function recordEvent<T extends EventType>(
  tx: PgDatabase<PgQueryResultHKT, Record<string, unknown>>,
  outbox: Parameters<PgDatabase<PgQueryResultHKT>["insert"]>[0],
  type: T,
  data: EventData<T>,
  context: EventContext,
): Promise<EventEnvelope<T, EventData<T>>> {
  const envelope = buildEvent(type, data, context);
  await tx.insert(outbox).values(outboxRowOf(envelope) as never);
  return envelope;
}
