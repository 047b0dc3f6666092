import type { EventConsumerRpc, OutboxRelayRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, QueueProducer } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface EventsBindings extends DatabaseBindings {
  /** The `platform-events` Queue: integrators' events are relayed to it, dead letters replayed to it. */
  readonly EVENTS_QUEUE: QueueProducer;
  /** Shared with the Kafka bridge; signs the events it hands in. Unset: the inbound route is off. */
  readonly INBOUND_EVENTS_SECRET?: string;
  /** First retry delay; each further attempt doubles it (capped at ten minutes). */
  readonly QUEUE_RETRY_BASE_SECONDS?: string;
  /** Seconds the dead-letter consumer waits before retrying a dead letter it could not record (default 30). */
  readonly DEAD_LETTER_RETRY_SECONDS?: string;
  /** Days a dead letter is kept after it was received, replayed or not (default 30; dead-letter-retention.ts). */
  readonly DEAD_LETTER_RETENTION_DAYS?: string;
  /** Days an event stays in the event feed after the router recorded it (default 30; event-feed.ts). */
  readonly EVENT_FEED_RETENTION_DAYS?: string;
  /** Seconds an event-feed stream (SSE) lasts before it ends and the client reconnects (default 300). */
  readonly EVENT_FEED_STREAM_SECONDS?: string;
  /** Milliseconds an event-feed stream waits before looking for new events again (default 1000). */
  readonly EVENT_FEED_POLL_MS?: string;
  /**
   * Outbound webhooks (docs/integrators.md#webhooks). The keys that seal endpoints' signing secrets
   * at rest (base64 of 32 bytes, comma-separated, the first seals; a secret, set with `wrangler secret put`).
   */
  readonly WEBHOOK_SECRETS_KEY?: string;
  /** Seconds before each retry of a failed delivery, comma-separated (default: about three days in all). */
  readonly WEBHOOK_RETRY_SCHEDULE?: string;
  /** Milliseconds a receiver has to answer one attempt (default 15000). */
  readonly WEBHOOK_TIMEOUT_MS?: string;
  /** Hosts allowed as targets over plain http or at a private address (tests, `npm start`); empty in production. */
  readonly WEBHOOK_INSECURE_HOSTS?: string;
  /** Days a delivery and its attempts are kept after it was made (default 30). */
  readonly WEBHOOK_DELIVERY_RETENTION_DAYS?: string;
  /** The consumers the router hands events to; they also produce events, which the router confirms. */
  readonly USERS: Fetcher & EventConsumerRpc & OutboxRelayRpc;
  readonly COURSES: Fetcher & EventConsumerRpc & OutboxRelayRpc;
  /** The other producers: the router confirms their events once every subscriber has applied them. */
  readonly AUTH: Fetcher & OutboxRelayRpc;
  /** Also a consumer: USER_DELETED pseudonymises its bookkeeping rows. */
  readonly PAYMENTS: Fetcher & EventConsumerRpc & OutboxRelayRpc;
  readonly PROGRESS: Fetcher & EventConsumerRpc & OutboxRelayRpc;
  /** Also a consumer: turns events into mail, push and in-app notices (docs/notifications.md). */
  readonly NOTIFICATIONS: Fetcher & EventConsumerRpc & OutboxRelayRpc;
}

export type EventsEnv = ServiceEnv<EventsBindings, DatabaseVariables<typeof schema>>;
