import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { describe, expect, inject, it } from "vitest";
import { DEFAULT_KAFKA_VERSION } from "../src/index.ts";

const { Kafka, logLevel, Partitioners } = kafkajs;

const brokers = inject("kafkaBrokers");
const kafka = new Kafka({ clientId: "broker-test", brokers: [brokers], logLevel: logLevel.NOTHING });

describe("the local Kafka broker (Maven Central jars, KRaft)", () => {
  it("listens on loopback and reports itself as the one broker and controller", async () => {
    expect(brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toEqual([{ nodeId: 1, host: "127.0.0.1", port: Number(brokers.split(":")[1]) }]);
      expect(cluster.controller).toBe(1);
    } finally {
      await admin.disconnect();
    }
  });

  it(`works with kafkajs 2.2.4 (Kafka ${DEFAULT_KAFKA_VERSION}): create a topic, idempotent produce with acks -1, consume in a group`, async () => {
    const topic = `broker-check-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = kafka.consumer({ groupId: `broker-check-${randomUUID()}` });
    try {
      expect(await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] })).toBe(true);
      await producer.connect();
      const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, value: `message ${i}` }));
      const acks = await producer.send({ topic, acks: -1, messages: sent });
      expect(acks.every((ack) => ack.errorCode === 0)).toBe(true);

      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let done: () => void = () => {};
      const allIn = new Promise<void>((resolve) => (done = resolve));
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? "");
          if (received.length === sent.length) done();
        },
      });
      await Promise.race([
        allIn,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`only ${received.length} of 30 consumed`)), 30_000),
        ),
      ]);
      expect([...received].sort()).toEqual(sent.map((m) => m.value).sort());

      // Within a key, the consumer saw the order in which they were produced.
      for (const key of ["k0", "k1", "k2"]) {
        const expected = sent.filter((m) => m.key === key).map((m) => m.value);
        expect(received.filter((value) => expected.includes(value))).toEqual(expected);
      }
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });
});
