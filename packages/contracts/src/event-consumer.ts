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
  /** Relays this worker's unqueued outbox rows to the Queue; resolves to how many it sent. */
  relayOutbox(): Promise<number>;
}
