import kafkajs from "kafkajs";
import type { Admin, Consumer, IHeaders, KafkaConfig, KafkaMessage, Producer, SASLOptions } from "kafkajs";
import type {
  EventConsumer,
  EventProducer,
  IncomingMessage,
  KafkaClient,
  KafkaClientFactory,
  KafkaClientOptions,
  MessageHeaders,
  OutgoingMessage,
  TopicAdmin,
  TopicSpec,
} from "./kafka-client.ts";
import type { KafkaSecurity } from "./kafka-security.ts";

const { Kafka, logLevel, Partitioners, CompressionTypes } = kafkajs;

/**
 * kafkajs warns that limited retries "may invalidate EoS guarantees" (of transactions, which the
 * bridge does not use). Retries are limited on purpose: a failed send discards the producer and
 * the relay retries the batch with its own backoff, so the warning says nothing useful.
 */
const EXPECTED_WARNINGS = new Set(["Limiting retries for the idempotent producer may invalidate EoS guarantees"]);

/** kafkajs logs every failed connection attempt; during an outage one line per message per window is plenty. */
const REPEAT_WINDOW_MS = 30_000;

/**
 * Lets a message through once per window: returns how many copies were held back since it was
 * last let through, or undefined to hold this one back.
 */
function quietRepeats(windowMs: number): (message: string) => number | undefined {
  const seen = new Map<string, { at: number; held: number }>();
  return (message) => {
    const now = Date.now();
    const entry = seen.get(message);
    if (entry && now - entry.at < windowMs) {
      entry.held += 1;
      return undefined;
    }
    if (seen.size > 1_000) seen.clear();
    seen.set(message, { at: now, held: 0 });
    return entry?.held ?? 0;
  };
}

/** An acknowledgement that has not come in this long is given up on (and the batch retried). */
const SEND_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function headersOf(headers: IHeaders | undefined): MessageHeaders {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

function incoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: headersOf(message.headers),
  };
}

/** Groups messages by topic, keeping their order within each topic (and so within each key). */
function byTopic(messages: readonly OutgoingMessage[]) {
  const topics = new Map<
    string,
    { key: string | Buffer | null; value: string | Buffer; headers: Record<string, string> }[]
  >();
  for (const message of messages) {
    let list = topics.get(message.topic);
    if (!list) topics.set(message.topic, (list = []));
    list.push({ key: message.key, value: message.value, headers: { ...message.headers } });
  }
  return [...topics].map(([topic, list]) => ({ topic, messages: list }));
}

/**
 * kafkajs's idempotent producer keeps sequence numbers per partition; after a failed send
 * they may no longer match the broker's, so a failure discards the producer and the next send
 * starts a new one (a new producer id). The batch is then sent again: duplicates are possible,
 * losses and reordering within a key are not.
 */
function kafkajsProducer(kafka: InstanceType<typeof Kafka>): EventProducer {
  let current: Promise<Producer> | undefined;
  const open = () =>
    (current ??= (async () => {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // The Java client's partitioner (murmur2): a key lands on the partition any Kafka client would pick.
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 3_000 },
      });
      try {
        await producer.connect();
      } catch (error) {
        current = undefined;
        await producer.disconnect().catch(() => {});
        throw error;
      }
      return producer;
    })());
  const discard = async () => {
    const stale = current;
    current = undefined;
    await (await stale?.catch(() => undefined))?.disconnect().catch(() => {});
  };
  return {
    async send(messages) {
      if (messages.length === 0) return;
      try {
        const producer = await open();
        await withTimeout(
          producer.sendBatch({
            acks: -1,
            timeout: SEND_TIMEOUT_MS,
            compression: CompressionTypes.None,
            topicMessages: byTopic(messages),
          }),
          SEND_TIMEOUT_MS + 5_000,
          "Kafka produce",
        );
      } catch (error) {
        await discard();
        throw error;
      }
    },
    close: discard,
  };
}

function kafkajsConsumer(
  kafka: InstanceType<typeof Kafka>,
  groupId: string,
  onError: (error: unknown) => void,
): EventConsumer {
  let consumer: Consumer | undefined;
  const resumeTimers = new Set<NodeJS.Timeout>();
  return {
    async run(topic, handle) {
      const created = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        // A fetch with nothing new waits this long; a partition resumed after a retry pause waits for it too.
        maxWaitTimeInMs: 1_000,
        // Never give up on the group: after a broker outage the consumer rejoins by itself.
        retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => true },
      });
      consumer = created;
      created.on(created.events.CRASH, (event) => onError(event.payload.error));
      await created.connect();
      await created.subscribe({ topics: [topic], fromBeginning: true });
      await created.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) return;
            const outcome = await handle(incoming(batch.topic, batch.partition, message));
            if (outcome.kind === "retry") {
              // Nothing resolved past this message: after the pause, the fetch starts at it again.
              const resume = pause();
              const timer = setTimeout(() => {
                resumeTimers.delete(timer);
                resume();
              }, outcome.afterMs);
              resumeTimers.add(timer);
              return;
            }
            resolveOffset(message.offset);
            const next = (BigInt(message.offset) + 1n).toString();
            await commitOffsetsIfNecessary({
              topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
            });
            await heartbeat();
          }
        },
      });
    },
    async close() {
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      await consumer?.disconnect();
    },
  };
}

function kafkajsAdmin(kafka: InstanceType<typeof Kafka>): TopicAdmin {
  let current: Promise<Admin> | undefined;
  const open = () =>
    (current ??= (async () => {
      const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 } });
      try {
        await admin.connect();
      } catch (error) {
        current = undefined;
        throw error;
      }
      return admin;
    })());
  const discard = async () => {
    const stale = current;
    current = undefined;
    await (await stale?.catch(() => undefined))?.disconnect().catch(() => {});
  };
  /** A failed call may leave a half-dead connection behind: the next call starts afresh. */
  const call = async <T>(work: (admin: Admin) => Promise<T>, timeoutMs: number, what: string): Promise<T> => {
    try {
      return await withTimeout(open().then(work), timeoutMs, what);
    } catch (error) {
      await discard();
      throw error;
    }
  };
  return {
    ensureTopics: (specs: readonly TopicSpec[]) =>
      call(
        async (admin) => {
          const existing = new Set(await admin.listTopics());
          const missing = specs.filter((spec) => !existing.has(spec.topic));
          if (missing.length === 0) return [];
          const created = await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((spec) => ({
              topic: spec.topic,
              numPartitions: spec.partitions,
              replicationFactor: spec.replicationFactor,
            })),
          });
          // false: another bridge created them first.
          return created ? missing.map((spec) => spec.topic) : [];
        },
        30_000,
        "Creating Kafka topics",
      ),
    ping: async (timeoutMs) => {
      await call((admin) => admin.describeCluster(), timeoutMs, "Asking Kafka for its cluster");
    },
    close: discard,
  };
}

/** kafkajs's `ssl` and `sasl` options; TLS verifies the broker's certificate, always. */
function kafkajsSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, "ssl" | "sasl"> {
  const { tls, sasl } = security ?? {};
  return {
    ...(tls && { ssl: tls.ca ? { ca: [...tls.ca], rejectUnauthorized: true } : true }),
    ...(sasl && {
      sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions,
    }),
  };
}

export const kafkajsClient: KafkaClientFactory = (options: KafkaClientOptions): KafkaClient => {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...kafkajsSecurity(options.security),
    connectionTimeout: 3_000,
    requestTimeout: 15_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 3_000 },
    logLevel: logLevel.WARN,
    logCreator: () => {
      const repeats = quietRepeats(REPEAT_WINDOW_MS);
      return ({ level, log }) => {
        if (EXPECTED_WARNINGS.has(log.message)) return;
        const repeated = repeats(log.message);
        if (repeated === undefined) return;
        // kafkajs's own time and logger name would only repeat what the bridge's line says.
        const fields: Record<string, unknown> = {
          ...log,
          ...(repeated > 0 ? { repeatedSinceLastLine: repeated } : {}),
        };
        delete fields.message;
        delete fields.timestamp;
        delete fields.logger;
        options.log(level === logLevel.ERROR ? "error" : "warn", `kafkajs: ${log.message}`, fields);
      };
    },
  });
  return {
    producer: () => kafkajsProducer(kafka),
    consumer: (groupId, onError) => kafkajsConsumer(kafka, groupId, onError),
    admin: () => kafkajsAdmin(kafka),
  };
};
