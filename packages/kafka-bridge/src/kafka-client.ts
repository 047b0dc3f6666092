/**
 * What the bridge needs of a Kafka client, and nothing more. kafkajs implements it today
 * (kafkajs-client.ts); kafkajs is barely maintained, and `@confluentinc/kafka-javascript`
 * (librdkafka, with a KafkaJS-compatible API) can implement the same four interfaces without the
 * rest of the bridge noticing.
 */
import type { KafkaSecurity } from "./kafka-security.ts";

export type MessageHeaders = Readonly<Record<string, string>>;

export interface OutgoingMessage {
  readonly topic: string;
  /** Messages with one key go to one partition, in the order given. */
  readonly key: string | Buffer | null;
  readonly value: string | Buffer;
  readonly headers: MessageHeaders;
}

export interface EventProducer {
  /**
   * Resolves once every message is acknowledged by all in-sync replicas (acks = -1), written by an
   * idempotent producer with one request in flight, so a retry can neither duplicate nor reorder
   * within a partition. Rejects if any message was not acknowledged.
   */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: MessageHeaders;
}

/** What became of one message: done commits its offset; retry leaves it uncommitted and delivers it again later. */
export type HandleOutcome = { readonly kind: "done" } | { readonly kind: "retry"; readonly afterMs: number };

export interface EventConsumer {
  /**
   * Joins the consumer group and hands messages over one at a time per partition, in offset order.
   * A "retry" pauses that partition for `afterMs` and then delivers the same message again; other
   * partitions go on. Returns once consuming has started; failures of the group (a broker outage)
   * are retried by the client, and `onError` hears about them.
   */
  run(topic: string, handle: (message: IncomingMessage) => Promise<HandleOutcome>): Promise<void>;
  /** Finishes the message in hand, commits nothing further and leaves the group. */
  close(): Promise<void>;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
}

export interface TopicAdmin {
  /** Creates the topics that do not exist yet; returns the names it created. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<string[]>;
  /** Resolves when a broker answers with the cluster's metadata within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS and SASL; plaintext and anonymous when absent. */
  readonly security?: KafkaSecurity;
  /** Errors and warnings of the client itself, for the bridge's log. */
  readonly log: (level: "warn" | "error", message: string, fields: Record<string, unknown>) => void;
}

export interface KafkaClient {
  producer(): EventProducer;
  consumer(groupId: string, onError: (error: unknown) => void): EventConsumer;
  admin(): TopicAdmin;
}

export type KafkaClientFactory = (options: KafkaClientOptions) => KafkaClient;
