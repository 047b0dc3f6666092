/**
 * What a worker that consumes platform events exposes over RPC to the events worker, which
 * receives every Queue message and hands each event to the workers that subscribe to its type.
 * The consumer validates the event again (it owns the data it changes) and dedupes on its id.
 */
export type EventOutcome = "applied" | "duplicate" | "ignored";

export interface EventConsumerRpc {
  /** Resolves once the effect is committed (or known to be a duplicate); rejects to ask for a retry. */
  handleEvent(event: unknown): Promise<EventOutcome>;
}

/** What a domain worker exposes so the cron sweep can relay its outbox without reading its tables. */
export interface OutboxRelayRpc {
  /**
   * Relays this worker's unqueued outbox rows to the Queue, and re-sends those queued long ago
   * (`OUTBOX_RESEND_AFTER_SECONDS`) but never confirmed; resolves to how many it sent in all.
   */
  relayOutbox(): Promise<number>;
  /**
   * The event router's confirmation that every subscriber applied these events of this worker's
   * outbox (or had them already, or ignores them): they are never re-sent. Ids it does not hold
   * are skipped; resolves to how many rows it confirmed.
   */
  confirmDelivered(eventIds: readonly string[]): Promise<number>;
  /**
   * The cron's retention chore: deletes this worker's outbox rows that are confirmed, published
   * to Kafka (unless `KAFKA_BRIDGE_ENABLED` is "false") and older than `OUTBOX_RETENTION_DAYS`,
   * and its `processed_events` older than `PROCESSED_EVENTS_RETENTION_DAYS`; bounded per call.
   */
  pruneEventTables(): Promise<{ outbox: number; processedEvents: number }>;
}
