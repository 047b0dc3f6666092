import { INTEGRATOR_SIGNATURE_HEADER, TRACEPARENT_HEADER, parseEvent, parseTraceparent } from "@platform/events";
import type { Delivery } from "./inbound-delivery.ts";
import type { EventProducer, HandleOutcome, IncomingMessage } from "./kafka-client.ts";
import { errorText, type Logger } from "./log.ts";
import type { BridgeMetrics } from "./metrics.ts";
import { Backoff } from "./timing.ts";

export const DEAD_LETTER_REASON_HEADER = "x-dead-letter-reason";
/** Long enough for every schema issue of a real event; a header is no place for a novel. */
const MAX_REASON_LENGTH = 2_000;
const MAX_RETRY_AFTER_MS = 60_000;

export interface InboundStatus {
  readonly topic: string;
  readonly deadLetterTopic: string;
  state: "starting" | "running" | "retrying";
  delivered: number;
  deadLettered: number;
  lastError: string | null;
}

export type Verdict =
  | {
      readonly ok: true;
      readonly body: string;
      readonly correlationId: string;
      /** The integrator's own signature (a Kafka header), forwarded as it is: the platform checks it. */
      readonly integratorSignature: string | undefined;
      /**
       * The trace the message belongs to: its `traceparent` header, else its envelope's, when valid
       * (an invalid one is ignored, never a reason to dead-letter). Sent on to the platform as a header.
       */
      readonly traceparent?: string | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/** Is this a platform event? The same catalogue and schemas the platform's own writers use. */
export function checkInboundMessage(message: IncomingMessage): Verdict {
  if (message.value === null) return { ok: false, reason: "the message has no value" };
  const body = message.value.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `the value is not JSON: ${errorText(error)}` };
  }
  const parsed = parseEvent(json);
  if (!parsed.ok) return { ok: false, reason: parsed.issues.join("; ") };
  const traceparent = [message.headers[TRACEPARENT_HEADER], parsed.event.metadata.traceparent].find(
    (value) => parseTraceparent(value) !== undefined,
  );
  return {
    ok: true,
    body,
    correlationId: parsed.event.metadata.correlationId,
    integratorSignature: message.headers[INTEGRATOR_SIGNATURE_HEADER],
    ...(traceparent && { traceparent }),
  };
}

/**
 * What happens to one inbound message: an invalid one goes to the dead-letter topic with the
 * reason; a valid one is handed to the platform. Accepted or dead-lettered, the offset is
 * committed; a delivery that may work later (the platform down, overloaded or slow) pauses the
 * partition and the same message is tried again, so nothing is skipped and order holds.
 */
export function inboundHandler(deps: {
  readonly status: InboundStatus;
  readonly producer: EventProducer;
  readonly deliver: (
    body: string,
    correlationId: string,
    integratorSignature: string | undefined,
    traceparent?: string,
  ) => Promise<Delivery>;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
}): (message: IncomingMessage) => Promise<HandleOutcome> {
  const { status, metrics, log } = deps;
  const backoffs = new Map<number, Backoff>();
  const backoffOf = (partition: number) => {
    let backoff = backoffs.get(partition);
    if (!backoff) backoffs.set(partition, (backoff = new Backoff(500, 30_000)));
    return backoff;
  };

  const retry = (message: IncomingMessage, reason: string, afterMs?: number): HandleOutcome => {
    const delay = Math.min(MAX_RETRY_AFTER_MS, afterMs ?? backoffOf(message.partition).next());
    status.state = "retrying";
    status.lastError = reason;
    metrics.recordInbound("retried");
    log("warn", "inbound event not delivered; will retry", {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      reason,
      retryInMs: delay,
    });
    return { kind: "retry", afterMs: delay };
  };

  const deadLetter = async (message: IncomingMessage, reason: string): Promise<HandleOutcome> => {
    const headers = {
      ...message.headers,
      [DEAD_LETTER_REASON_HEADER]: reason.slice(0, MAX_REASON_LENGTH),
      "x-original-topic": message.topic,
      "x-original-partition": String(message.partition),
      "x-original-offset": message.offset,
      "x-dead-lettered-at": new Date().toISOString(),
    };
    try {
      await deps.producer.send([
        { topic: status.deadLetterTopic, key: message.key, value: message.value ?? "", headers },
      ]);
    } catch (error) {
      metrics.recordError("dead_letter");
      return retry(message, `could not write to ${status.deadLetterTopic}: ${errorText(error)}`);
    }
    status.deadLettered += 1;
    metrics.recordInbound("dead_lettered");
    log("warn", "inbound message dead-lettered", {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      deadLetterTopic: status.deadLetterTopic,
      reason,
    });
    return { kind: "done" };
  };

  return async (message) => {
    const verdict = checkInboundMessage(message);
    const outcome = verdict.ok ? await deliverValid(message, verdict) : await deadLetter(message, verdict.reason);
    if (outcome.kind === "done") {
      backoffOf(message.partition).reset();
      status.state = "running";
    }
    return outcome;
  };

  async function deliverValid(
    message: IncomingMessage,
    verdict: Extract<Verdict, { ok: true }>,
  ): Promise<HandleOutcome> {
    const delivery = await deps.deliver(
      verdict.body,
      verdict.correlationId,
      verdict.integratorSignature,
      verdict.traceparent,
    );
    switch (delivery.kind) {
      case "accepted":
        status.delivered += 1;
        status.lastError = null;
        metrics.recordInbound("delivered");
        return { kind: "done" };
      case "refused":
        return await deadLetter(message, `the platform refused the event: ${delivery.reason}`);
      case "retry":
        metrics.recordError("inbound_delivery");
        return retry(message, delivery.reason, delivery.retryAfterMs);
    }
  }
}
