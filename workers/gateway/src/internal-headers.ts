import { CORRELATION_HEADER, TRACEPARENT_HEADER, currentTraceparent } from "@platform/http-kit";

/**
 * The ids every call from the gateway to another worker carries: the correlation id, and the
 * gateway's span of the request as the `traceparent` the worker continues (none outside a span).
 */
export function internalHeaders(correlationId: string): Record<string, string> {
  const traceparent = currentTraceparent();
  return { [CORRELATION_HEADER]: correlationId, ...(traceparent && { [TRACEPARENT_HEADER]: traceparent }) };
}
