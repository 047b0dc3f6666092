import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { CorrelationVariables } from "./correlation.ts";
import { PRINCIPAL_USER_HEADER } from "./principal.ts";
import type { TraceVariables } from "./trace.ts";
import { currentSpan, traceFieldsOf } from "./trace-context.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** Fields that inner middleware adds to the request's log line (see `addRequestLogFields`). */
    requestLogFields?: Readonly<Record<string, unknown>>;
  }
}

export interface RequestLogLine {
  readonly time: string;
  readonly level: "info" | "warn" | "error";
  readonly service: string;
  readonly msg: "request";
  readonly method: string;
  /** The route pattern that answered (`/api/courses/:courseId`), so lines of one route group; absent for a 404 of no route. */
  readonly route?: string;
  /** The path without its query string: a query can carry a token (`?token=`) or personal data. */
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly correlationId: string;
  /** W3C trace id and this worker's span of the request (docs/observability.md). */
  readonly traceId?: string;
  readonly spanId?: string;
  /** The span that called this worker (the gateway's, for a domain worker); absent at the start of a trace. */
  readonly parentSpanId?: string;
  /** At the gateway: the trace id of a `traceparent` the caller sent, linked rather than continued. */
  readonly linkedTraceId?: string;
  /** The verified caller, when signed in: the account id, never a token or an address. */
  readonly userId?: string;
  /** Set when the request used PostgreSQL: statements sent and sessions opened. */
  readonly db?: { readonly queries: number; readonly sessions: number };
}

/**
 * Adds fields to this request's log line, from middleware that knows them only at its end (the
 * database middleware adds what the request asked of PostgreSQL). Later additions win.
 */
export function addRequestLogFields(c: Context, fields: Readonly<Record<string, unknown>>): void {
  c.set("requestLogFields", { ...c.get("requestLogFields"), ...fields });
}

/**
 * The route pattern that answered (`/api/courses/:id`), read after `next()`: the handler's, as Hono
 * dispatched it, or none when no route matched (the not-found handler says so, since Hono would
 * otherwise name the last middleware's pattern). The log line and the metrics label agree on it.
 */
export function answeredRoute(c: Context): string | undefined {
  const fields = c.get("requestLogFields");
  if (fields && "route" in fields) return typeof fields.route === "string" ? fields.route : undefined;
  return routePath(c) || undefined;
}

export type LogSink = (line: string) => void;

export interface RequestLogOptions {
  /**
   * The platform's front door: the `x-platform-user-id` a client sends there is its own claim, so
   * the user id comes only from the verified principal the gateway's `authenticate` sets.
   */
  readonly publicEntry?: boolean;
}

/** The signed-in caller's account id: the gateway's verified principal, or (behind it) the header it set. */
function userIdOf(c: Context, { publicEntry = false }: RequestLogOptions): string | undefined {
  const principal: unknown = c.get("principal" as never);
  if (typeof principal === "object" && principal !== null && "userId" in principal) {
    const { userId } = principal as { userId: unknown };
    if (typeof userId === "string") return userId;
  }
  return publicEntry ? undefined : c.req.header(PRINCIPAL_USER_HEADER);
}

/**
 * One JSON line per request, written after the response is known. What it never holds: the query
 * string, any header (Authorization, Cookie, the refresh cookie…), the body (passwords, card
 * numbers), anything the client typed. Those can carry tokens, secrets or personal data; the path,
 * the route, ids and numbers are enough to find and follow a request.
 */
export function requestLog(
  service: string,
  sink: LogSink = (line) => console.log(line),
  options: RequestLogOptions = {},
) {
  return createMiddleware<{ Variables: CorrelationVariables & Partial<TraceVariables> }>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const trace = c.var.trace;
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      service,
      msg: "request",
      method: c.req.method,
      // After `next()` the route index is the handler's that answered (Hono sets it as it dispatches).
      route: answeredRoute(c),
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      correlationId: c.var.correlationId,
      ...traceFieldsOf(trace),
      ...(trace?.parentSpanId && { parentSpanId: trace.parentSpanId }),
      ...(c.var.linkedTraceId && { linkedTraceId: c.var.linkedTraceId }),
      userId: userIdOf(c, options),
      ...c.get("requestLogFields"),
    };
    sink(JSON.stringify(line));
  });
}

/**
 * Any other log line (failures, warnings, events applied): one JSON object with the same `time`,
 * `level`, `service` and `msg` fields as the request lines, so logs of every kind query alike, and
 * the trace and span ids of the work in hand (a request, an event) when there is one.
 */
export function logLine(
  level: "info" | "warn" | "error",
  service: string,
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    service,
    msg,
    ...traceFieldsOf(currentSpan()),
    ...fields,
  });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/**
 * What of an error may go into a log line. drizzle's query errors spell out every parameter in
 * their message ("Failed query: … params: …"): an email, a password hash, an OIDC client secret.
 * So the parameters are cut, and the driver's reason is added from the cause by its parts that
 * carry no values (SQLSTATE, constraint, table, column) rather than by its message, which can
 * quote the offending input ("invalid input syntax for type uuid: …").
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.replace(/\nparams: [\s\S]*$/, "");
  const cause = error.cause;
  if (!(cause instanceof Error)) return message;
  const { code, constraint, table, column } = cause as {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    column?: unknown;
  };
  const parts = Object.entries({ code, constraint, table, column })
    .filter(([, value]) => typeof value === "string" && value !== "")
    .map(([key, value]) => `${key} ${String(value)}`);
  // A PostgreSQL error has a SQLSTATE; one without (a dropped connection, a timeout) is the
  // driver's own words, which quote no input.
  return typeof code === "string" ? `${message} (${parts.join(", ")})` : `${message} (cause: ${cause.message})`;
}
