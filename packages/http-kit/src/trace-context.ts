import { AsyncLocalStorage } from "node:async_hooks";

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header that ties one
 * request's work across workers, the Queue and Kafka together. This module has no HTTP framework in
 * it (the events package and the Kafka bridge use it too: `@platform/http-kit/trace`).
 */
export const TRACEPARENT_HEADER = "traceparent";
export const TRACESTATE_HEADER = "tracestate";

/** What a `traceparent` names: the trace, the span that sent it, and the trace flags. */
export interface TraceContext {
  /** 32 lowercase hex digits, never all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, never all zero: the caller's span, the parent of the next one. */
  readonly spanId: string;
  /** 2 lowercase hex digits; bit 0 is "sampled". */
  readonly flags: string;
}

/** The span a worker is working in: a trace context plus the span it continues (none for a root). */
export interface Span extends TraceContext {
  readonly parentSpanId?: string;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const FUTURE_VERSION = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/**
 * A `traceparent` value, or undefined when it is not a valid one (then the receiver starts a new
 * trace, as the specification asks). Version 00 must be exactly its 55 characters; a later version
 * is read by its first four fields if what follows them starts with `-`; version ff is invalid.
 * Upper-case hex and all-zero ids are refused: they are invalid by the specification, and a value
 * that passes this is safe to write into a log line as it is.
 */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  if (typeof value !== "string" || value.length < 55 || value.length > 512) return undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let flags: string | undefined;
  const v00 = VERSION_00.exec(value);
  if (v00) {
    [, traceId, spanId, flags] = v00;
  } else {
    const later = FUTURE_VERSION.exec(value);
    if (!later || later[1] === "00" || later[1] === "ff") return undefined;
    [, , traceId, spanId, flags] = later;
  }
  if (!traceId || !spanId || !flags || ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

/** The version-00 header value of a context (what every hop sends to the next). */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

function randomHex(bytes: number): string {
  for (;;) {
    const values = crypto.getRandomValues(new Uint8Array(bytes));
    // An all-zero id is invalid; a fresh draw is cheaper than reasoning about the odds.
    if (values.some((byte) => byte !== 0)) return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
  }
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** A new trace, sampled: every request's log lines carry it, and Workers' own tracing samples on its own. */
export function startTrace(): Span {
  return { traceId: newTraceId(), spanId: newSpanId(), flags: "01" };
}

/** The next span of a trace: the same trace id and flags, a new span id, the sender's as parent. */
export function childSpan(parent: TraceContext): Span {
  return { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.spanId, flags: parent.flags };
}

/** A child of the given `traceparent` when it is valid, else a new trace. */
export function continueOrStart(traceparent: string | null | undefined): Span {
  const parent = parseTraceparent(traceparent);
  return parent ? childSpan(parent) : startTrace();
}

/**
 * The span of the work in hand, for code that is not handed one: `logLine` adds its ids to every
 * line, and the outbox writer stamps it into every event it builds, so the domain code in between
 * (which knows nothing of HTTP or tracing) needs no parameter for it. Set by the request middleware,
 * the event consumer and the Queue router; one isolate serves many requests at once, and this is
 * what keeps each one's span its own.
 */
const activeSpan = new AsyncLocalStorage<Span>();

export function runInSpan<T>(span: Span, work: () => T): T {
  return activeSpan.run(span, work);
}

export function currentSpan(): Span | undefined {
  return activeSpan.getStore();
}

/** The header value that continues the current span on the next hop; none outside a span. */
export function currentTraceparent(): string | undefined {
  const span = currentSpan();
  return span ? formatTraceparent(span) : undefined;
}

/** The fields a log line gets from a span. */
export function traceFieldsOf(span: Span | undefined): { traceId?: string; spanId?: string } {
  return span ? { traceId: span.traceId, spanId: span.spanId } : {};
}
