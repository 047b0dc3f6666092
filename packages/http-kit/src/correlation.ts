import { createMiddleware } from "hono/factory";

export const CORRELATION_HEADER = "x-correlation-id";

/**
 * A caller's id is kept only if it is short and made of safe characters: it ends up in every
 * log line and event, so it must never be a vector for log injection or unbounded growth.
 */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptOrCreateCorrelationId(incoming: string | null | undefined): string {
  if (incoming && ACCEPTABLE_ID.test(incoming)) return incoming;
  return crypto.randomUUID();
}

export type CorrelationVariables = { correlationId: string };

/** Reads or creates the correlation id, exposes it as `c.var.correlationId` and echoes it on the response. */
export const correlationId = createMiddleware<{ Variables: CorrelationVariables }>(async (c, next) => {
  const id = acceptOrCreateCorrelationId(c.req.header(CORRELATION_HEADER));
  c.set("correlationId", id);
  await next();
  c.res.headers.set(CORRELATION_HEADER, id);
});
