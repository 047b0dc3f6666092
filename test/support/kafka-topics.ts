import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { vi } from "vitest";

/** Reading Kafka topics from a test: the Kafka bridge's own tests and the platform's event journey. */
const { Kafka, logLevel } = kafkajs;

export interface ReadMessage {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string | null;
  /** The value's bytes as Kafka returned them, undecoded (to search for what must not be there). */
  readonly rawValue: Buffer | null;
  readonly headers: Record<string, string>;
}

export function testKafka(brokers: string) {
  return new Kafka({ clientId: `kafka-test-${process.pid}`, brokers: [brokers], logLevel: logLevel.NOTHING });
}

/**
 * Every message on the topic up to its end as of now (each partition's high watermark), in
 * partition-then-offset order. Reads with a throw-away consumer group, from the beginning.
 */
export async function readTopic(brokers: string, topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const kafka = testKafka(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  const messages: ReadMessage[] = [];
  if (ends.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, allowAutoTopicCreation: false });
  const reached = new Map<number, bigint>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition);
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (end === undefined || offset >= end) continue;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {}))
            if (value !== undefined) headers[name] = value.toString();
          messages.push({
            partition: batch.partition,
            offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            rawValue: message.value ?? null,
            headers,
          });
          reached.set(batch.partition, offset);
        }
      },
    });
    await vi.waitFor(
      () => {
        if (![...ends].every(([partition, end]) => (reached.get(partition) ?? -1n) >= end - 1n))
          throw new Error(`not yet at the end of ${topic}`);
      },
      { timeout: timeoutMs, interval: 100 },
    );
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
}

/** Event ids (the `event-id` header) on the topic, with how often each occurs. */
export function idCounts(messages: readonly ReadMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const id = message.headers["event-id"];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Keeps reading a topic from its beginning into `messages` until stopped (for topics a test watches as it goes). */
export async function collectTopic(
  brokers: string,
  topic: string,
): Promise<{ messages: ReadMessage[]; stop: () => Promise<void> }> {
  const consumer = testKafka(brokers).consumer({
    groupId: `collector-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 200,
  });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {}))
        if (value !== undefined) headers[name] = value.toString();
      messages.push({
        partition,
        offset: BigInt(message.offset),
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        rawValue: message.value ?? null,
        headers,
      });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
