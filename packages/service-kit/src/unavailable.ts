import type { ErrorHandler, MiddlewareHandler } from "hono";
import { isDatabaseUnavailable, unavailableReason } from "@platform/db";
import { logLine, problemErrorHandler, respondWithProblem } from "@platform/http-kit";

/**
 * How long a client should wait before trying again: long enough for a dropped connection or a
 * Neon compute waking up, short enough that a blip costs a person one retry.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The kit's error handler: an error that means PostgreSQL cannot be reached, or gave up on the
 * request (connection refused or dropped, a connect or query timeout), answers 503 with
 * `Retry-After` wherever it was thrown, so no route has to tell an outage from a bug. Nothing was
 * written: a transaction that failed half-way never committed. Every other error goes to the
 * platform's problem handler (a 500 for anything unexpected).
 */
export function domainErrorHandler(service: string): ErrorHandler {
  const otherwise = problemErrorHandler(service);
  return (err, c) => {
    if (!isDatabaseUnavailable(err)) return otherwise(err, c);
    const correlationId: unknown = c.get("correlationId");
    // The driver's reason only: a wrapped query error's own message lists the query's parameters.
    logLine("warn", service, "database unavailable", {
      reason: unavailableReason(err),
      path: c.req.path,
      correlationId,
    });
    return respondWithProblem(c, "service-unavailable", {
      detail: "The database cannot be reached right now; nothing was changed. Try again shortly.",
      headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  };
}

/**
 * Hono hands only `Error`s to the error handler; anything else thrown escapes it and the runtime
 * answers a bare 500. The Neon driver rejects with the WebSocket's `error` event (not an Error)
 * when it cannot connect at all, so this wraps such values, keeping them as the `cause`.
 */
export const thrownValuesAsErrors: MiddlewareHandler = async (_c, next) => {
  try {
    await next();
  } catch (thrown) {
    if (thrown instanceof Error) throw thrown;
    throw new Error("a non-Error value was thrown", { cause: thrown });
  }
};
