import type { EventConsumerRpc } from "@platform/contracts";
import { parseEvent, subscribersOf, type ConsumerBinding, type EventType, type PlatformEvent } from "@platform/events";
import { continueOrStart, errorText, logLine, runInSpan } from "@platform/http-kit";

/** The bindings the router calls (the worker's env has them as service bindings). */
export type Subscribers = Readonly<Record<ConsumerBinding, EventConsumerRpc>>;

/**
 * The router as a subscriber of its own: the types it applies to its own tables (USER_DELETED to
 * its dead letters), through the same `handleEvent` as any consumer, so its failure retries the
 * event like any subscriber's and the event is confirmed only once it too has applied it.
 */
export interface RouterSubscriber extends EventConsumerRpc {
  readonly consumes: readonly EventType[];
}

/** The name the router's own effect goes by in log lines and failure reasons. */
export const ROUTER_BINDING = "EVENTS";

/** The part of a Queue `Message` the router uses. */
export interface DeliveredMessage {
  readonly id: string;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

const MAX_RETRY_DELAY_SECONDS = 600;

/** Exponential backoff on the Queue's own attempt count (1 on first delivery). */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id a body that failed validation says it has, so its failure can still be noted against it. */
function claimedEventId(body: unknown): string | null {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === "string" && UUID.test(id) ? id : null;
}

/** Delivered: every subscriber answered applied, duplicate or ignored (also when it has none), so its source may be told. */
export type DispatchOutcome =
  | { readonly status: "delivered"; readonly event: PlatformEvent; readonly failedBefore: boolean }
  /** `eventId`: when the body was an event; `reason`: what failed, for the dead letter it may become. */
  | { readonly status: "retry"; readonly eventId: string | null; readonly reason: string };

/**
 * Hands one message to every subscriber of its type and acks it only when all have applied it.
 * A message that is not a valid event, or that a subscriber keeps failing on, is retried with
 * backoff until the Queue's retry limit moves it to the dead-letter queue: nothing is dropped
 * silently, and an operator can replay it once the cause is fixed.
 */
export function dispatchMessage(
  message: DeliveredMessage,
  subscribers: Subscribers,
  retryBaseSeconds: number,
  router: RouterSubscriber,
): Promise<DispatchOutcome> {
  // The delivery continues the trace of the work that wrote the event (its `metadata.traceparent`),
  // so the router's lines join the producer's; a body that is not an event, or an older event, starts one.
  const body: unknown = message.body;
  const traceparent =
    typeof body === "object" && body !== null
      ? (body as { metadata?: { traceparent?: unknown } }).metadata?.traceparent
      : undefined;
  const span = continueOrStart(typeof traceparent === "string" ? traceparent : undefined);
  return runInSpan(span, () => dispatchInSpan(message, subscribers, retryBaseSeconds, router));
}

async function dispatchInSpan(
  message: DeliveredMessage,
  subscribers: Subscribers,
  retryBaseSeconds: number,
  router: RouterSubscriber,
): Promise<DispatchOutcome> {
  const retry = (what: string, reason: string, eventId: string | null, fields: Record<string, unknown>) => {
    const delaySeconds = retryDelaySeconds(message.attempts, retryBaseSeconds);
    logLine("warn", "events", what, { messageId: message.id, attempts: message.attempts, delaySeconds, ...fields });
    message.retry({ delaySeconds });
    return { status: "retry", eventId, reason } as const;
  };

  const parsed = parseEvent(message.body);
  if (!parsed.ok) {
    const reason = `not a valid platform event: ${parsed.issues.join("; ")}`;
    return retry("not a valid platform event", reason, claimedEventId(message.body), { issues: parsed.issues });
  }

  const { event } = parsed;
  const context = { eventId: event.id, type: event.type, correlationId: event.metadata.correlationId };
  type Target = { binding: ConsumerBinding | typeof ROUTER_BINDING; consumer: EventConsumerRpc };
  const targets: Target[] = [
    ...subscribersOf(event.type).map((binding) => ({ binding, consumer: subscribers[binding] })),
    ...(router.consumes.includes(event.type) ? [{ binding: ROUTER_BINDING, consumer: router } satisfies Target] : []),
  ];
  const results = await Promise.allSettled(
    targets.map(async ({ binding, consumer }) => ({ binding, outcome: await consumer.handleEvent(event) })),
  );
  const failures = results.flatMap((result, index) =>
    result.status === "rejected" ? [`${targets[index]?.binding}: ${errorText(result.reason)}`] : [],
  );
  if (failures.length > 0) return retry("a subscriber failed", failures.join("; "), event.id, { ...context, failures });

  message.ack();
  const outcomes = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  logLine("info", "events", "delivered", { ...context, outcomes });
  return { status: "delivered", event, failedBefore: message.attempts > 1 };
}
