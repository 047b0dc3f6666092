import type { EventConsumerRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, QueueProducer } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface EventsBindings extends DatabaseBindings {
  /** The `platform-events` Queue: integrators' events are relayed to it, dead letters replayed to it. */
  readonly EVENTS_QUEUE: QueueProducer & Queue;
  /** Shared with the Kafka bridge; signs the events it hands in. Unset: the inbound route is off. */
  readonly INBOUND_EVENTS_SECRET?: string;
  /** First retry delay; each further attempt doubles it (capped at ten minutes). */
  readonly QUEUE_RETRY_BASE_SECONDS?: string;
  /** The consumers the router hands events to. */
  readonly USERS: Fetcher & EventConsumerRpc;
  readonly COURSES: Fetcher & EventConsumerRpc;
}

export type EventsEnv = ServiceEnv<EventsBindings, DatabaseVariables<typeof schema>>;
