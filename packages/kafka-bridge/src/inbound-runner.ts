import type { InboundConfig } from "./config.ts";
import { deliverInbound } from "./inbound-delivery.ts";
import { inboundHandler, type InboundStatus } from "./inbound.ts";
import type { EventConsumer, EventProducer, KafkaClient } from "./kafka-client.ts";
import { errorText, type Logger } from "./log.ts";
import type { BridgeMetrics } from "./metrics.ts";
import { Backoff } from "./timing.ts";
import type { TopicRegistry } from "./topics.ts";

export interface InboundRunner {
  status(): Readonly<InboundStatus>;
  stop(): Promise<void>;
}

/**
 * Creates the inbound and dead-letter topics, then joins the consumer group. Until that has
 * worked once (the broker may be down when the bridge starts) it is retried with backoff; after
 * that the client rejoins by itself.
 */
export function startInbound(options: {
  readonly config: InboundConfig;
  readonly client: KafkaClient;
  readonly producer: EventProducer;
  readonly topics: TopicRegistry;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly fetch?: typeof fetch;
}): InboundRunner {
  const { config, metrics, log } = options;
  const status: InboundStatus = {
    topic: config.topic,
    deadLetterTopic: config.deadLetterTopic,
    state: "starting",
    delivered: 0,
    deadLettered: 0,
    lastError: null,
  };
  const handle = inboundHandler({
    status,
    producer: options.producer,
    metrics,
    log,
    deliver: (body, correlationId, integratorSignature, traceparent) =>
      deliverInbound({
        url: config.platformUrl,
        secret: config.secret,
        body,
        correlationId,
        integratorSignature,
        traceparent,
        timeoutMs: config.requestTimeoutMs,
        fetch: options.fetch,
      }),
  });
  const onError = (error: unknown) => {
    metrics.recordError("inbound_consumer");
    status.lastError = errorText(error);
    log("warn", "inbound consumer failed; it restarts by itself", { error: status.lastError });
  };

  let stopped = false;
  let consumer: EventConsumer | undefined;
  let cancelWait: (() => void) | undefined;
  const backoff = new Backoff(500, 15_000);

  const attempt = async (): Promise<void> => {
    if (stopped) return;
    try {
      await options.topics.ensure([config.topic, config.deadLetterTopic]);
      consumer = options.client.consumer(config.groupId, onError);
      await consumer.run(config.topic, handle);
      if (status.state === "starting") status.state = "running";
      log("info", "consuming inbound events", {
        topic: config.topic,
        groupId: config.groupId,
        deadLetterTopic: config.deadLetterTopic,
      });
    } catch (error) {
      status.lastError = errorText(error);
      metrics.recordError("inbound_consumer");
      const stale = consumer;
      consumer = undefined;
      await stale?.close().catch(() => {});
      if (stopped) return;
      const delay = backoff.next();
      log("warn", "inbound consumer could not start; will retry", { error: status.lastError, retryInMs: delay });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        cancelWait = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      return attempt();
    }
  };
  const started = attempt();

  return {
    status: () => status,
    stop: async () => {
      stopped = true;
      cancelWait?.();
      await started;
      await consumer?.close().catch(() => {});
    },
  };
}
