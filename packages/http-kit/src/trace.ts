import { createMiddleware } from "hono/factory";
import {
  TRACEPARENT_HEADER,
  childSpan,
  continueOrStart,
  currentSpan,
  parseTraceparent,
  runInSpan,
  startTrace,
  type Span,
} from "./trace-context.ts";

export type TraceVariables = {
  /** This worker's span of the request (its ids go into the request's log line and the next hop's `traceparent`). */
  trace: Span;
  /** At the public entry: the trace id of a valid `traceparent` the caller sent, kept as a link, not continued. */
  linkedTraceId?: string | undefined;
};

export interface TraceOptions {
  /**
   * The platform's front door (the gateway): a `traceparent` from the internet is not continued.
   * Its trace id would be the caller's choice, so a caller could file its requests under someone
   * else's trace or make one trace id of many unrelated requests; so the gateway starts a trace of
   * its own and keeps the caller's id in its log line (`linkedTraceId`), where it can still be joined.
   * Code of the platform that calls in over a trusted path (the site over its service binding) runs
   * the request inside its own span, which is continued.
   */
  readonly publicEntry?: boolean;
}

/**
 * The request's span: a child of the `traceparent` the caller sent (a worker behind the gateway:
 * only the gateway and other workers can reach it), or of the span the request already runs in,
 * or a new trace. Everything after this middleware runs inside the span (`currentSpan()`).
 */
export function traceContext(options: TraceOptions = {}) {
  return createMiddleware<{ Variables: TraceVariables }>(async (c, next) => {
    const incoming = c.req.header(TRACEPARENT_HEADER);
    const ambient = currentSpan();
    let span: Span;
    if (ambient) span = childSpan(ambient);
    else if (options.publicEntry) {
      span = startTrace();
      c.set("linkedTraceId", parseTraceparent(incoming)?.traceId);
    } else span = continueOrStart(incoming);
    c.set("trace", span);
    await runInSpan(span, next);
  });
}
