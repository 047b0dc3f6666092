import type pg from "pg";
import { EVENT_FORM_HEADER, PUBLIC_FORM, TRACEPARENT_HEADER, parseTraceparent } from "@platform/events";
import type { EventProducer, OutgoingMessage } from "./kafka-client.ts";
import { errorText, type Logger } from "./log.ts";
import type { BridgeMetrics } from "./metrics.ts";
import { OutboxMissingError, PublishError, relayBatch, type OutboxEvent } from "./outbox.ts";
import { publicValueOf } from "./public-value.ts";
import { Backoff, WakeSignal } from "./timing.ts";
import type { TopicRegistry } from "./topics.ts";

export type RelayState =
  /** Not yet through a first batch. */
  | "starting"
  /** Relaying, or waiting for new rows. */
  | "relaying"
  /** Another bridge holds this schema's lock; this one takes over when it goes. */
  | "standby"
  /** The last attempt failed; retrying with backoff. */
  | "failing"
  /** The schema has no outbox table; checked again every 30 s. */
  | "no-outbox";

export interface RelayStatus {
  readonly schema: string;
  readonly state: RelayState;
  readonly relayed: number;
  readonly lastRelayAt: string | null;
  readonly lastError: string | null;
}

export interface SchemaRelay {
  /** A notification for this schema: look now instead of at the next poll. */
  wake(): void;
  /** A dependency is back: cut a failure's backoff short and try again now. */
  retryNow(): void;
  status(): RelayStatus;
  /** Lets the batch in hand finish (produced, marked, committed), then stops. */
  stop(): Promise<void>;
}

export interface RelayDeps {
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly producer: EventProducer;
  readonly topics: TopicRegistry;
  /** Every topic the platform publishes to; ensured before the first batch. */
  readonly baseTopics: readonly string[];
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly batchSize: number;
  readonly pollMs: number;
}

const MISSING_OUTBOX_RECHECK_MS = 30_000;
/** Rows locked by the Queue relay are free again within milliseconds. */
const BLOCKED_RETRY_MS = 50;

/**
 * An outbox row as a Kafka message: the event's public form, keyed by its aggregate. Its ids go in
 * headers too, so a consumer can route, dedupe and trace without parsing the value: `traceparent`
 * (W3C Trace Context, as OpenTelemetry's Kafka instrumentation reads it) continues the trace of the
 * request that wrote the event.
 */
export function messageOf(event: OutboxEvent): OutgoingMessage {
  const headers: Record<string, string> = {
    "event-id": event.id,
    "event-type": event.type,
    [EVENT_FORM_HEADER]: PUBLIC_FORM,
  };
  if (event.correlationId) headers["correlation-id"] = event.correlationId;
  if (parseTraceparent(event.traceparent)) headers[TRACEPARENT_HEADER] = event.traceparent as string;
  return { topic: event.topic, key: event.aggregateId, value: publicValueOf(event), headers };
}

function countsByTopic(events: readonly OutboxEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.topic, (counts.get(event.topic) ?? 0) + 1);
  return counts;
}

/** One schema's relay loop: claim, produce, mark; wake on NOTIFY or poll; back off on failure. */
export function startSchemaRelay(deps: RelayDeps): SchemaRelay {
  const { schema, log, metrics } = deps;
  const signal = new WakeSignal();
  const backoff = new Backoff();
  let stopping = false;
  let state: RelayState = "starting";
  let relayed = 0;
  let lastRelayAt: string | null = null;
  let lastError: string | null = null;

  const publish = async (events: readonly OutboxEvent[]) => {
    await deps.topics.ensure(events.map((event) => event.topic));
    await deps.producer.send(events.map(messageOf));
  };

  const fail = (error: unknown): number => {
    const message = errorText(error);
    if (error instanceof OutboxMissingError) {
      if (state !== "no-outbox") log("warn", "schema has no outbox table; checking again later", { schema });
      state = "no-outbox";
      lastError = message;
      return MISSING_OUTBOX_RECHECK_MS;
    }
    const kafka = error instanceof PublishError;
    metrics.recordError(kafka ? "kafka" : "postgres");
    const delay = backoff.next();
    // The first failure of a streak is an error; its retries are warnings.
    log(
      state === "failing" ? "warn" : "error",
      kafka ? "publishing to Kafka failed; will retry" : "outbox claim failed; will retry",
      {
        schema,
        error: message,
        retryInMs: delay,
      },
    );
    state = "failing";
    lastError = message;
    return delay;
  };

  /**
   * One pass; returns how long to wait before the next (0: go again at once), and whether a
   * notification may cut that wait short (not after a failure: that wait is the backoff).
   */
  const step = async (): Promise<{ waitMs: number; wakeable: boolean }> => {
    let client: pg.PoolClient | undefined;
    // A connection that breaks while checked out emits "error" besides failing the query in hand;
    // unheard, that event would end the process. The failed query is what the loop acts on.
    const ignore = () => {};
    try {
      await deps.topics.ensure(deps.baseTopics).catch((error: unknown) => {
        throw new PublishError(error);
      });
      client = await deps.pool.connect();
      client.on("error", ignore);
      const result = await relayBatch(client, schema, deps.batchSize, publish);
      client.off("error", ignore);
      client.release();
      client = undefined;
      backoff.reset();
      if (state === "failing" || state === "no-outbox") log("info", "relaying again", { schema });
      lastError = null;
      switch (result.kind) {
        case "relayed": {
          state = "relaying";
          relayed += result.events.length;
          lastRelayAt = new Date().toISOString();
          metrics.recordBatch(schema, countsByTopic(result.events));
          return { waitMs: result.events.length >= deps.batchSize ? 0 : deps.pollMs, wakeable: true };
        }
        case "empty":
          state = "relaying";
          return { waitMs: deps.pollMs, wakeable: true };
        case "standby":
          if (state !== "standby") log("info", "another bridge is relaying this schema; standing by", { schema });
          state = "standby";
          return { waitMs: deps.pollMs, wakeable: true };
        case "blocked":
          state = "relaying";
          return { waitMs: BLOCKED_RETRY_MS, wakeable: true };
      }
    } catch (error) {
      // A Kafka failure left the connection in a clean state; anything else may not have.
      client?.off("error", ignore);
      client?.release(error instanceof PublishError ? undefined : true);
      return { waitMs: fail(error), wakeable: false };
    }
  };

  let cutSleep: (() => void) | undefined;
  const backoffSleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      cutSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopping) {
      const { waitMs, wakeable } = await step();
      if (stopping) break;
      // A pending wake-up (a notification during the batch) skips the wait.
      if (waitMs > 0) await (wakeable ? signal.wait(waitMs) : backoffSleep(waitMs));
    }
  })();

  return {
    wake: () => signal.notify(),
    retryNow: () => cutSleep?.(),
    status: () => ({ schema, state, relayed, lastRelayAt, lastError }),
    stop: async () => {
      stopping = true;
      signal.notify();
      cutSleep?.();
      await loop;
    },
  };
}
