import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { CorrelationVariables } from "./correlation.ts";

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
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly correlationId: string;
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

export type LogSink = (line: string) => void;

/**
 * One JSON line per request, written after the response is known. Query strings are left out
 * on purpose: they can carry tokens or personal data.
 */
export function requestLog(service: string, sink: LogSink = (line) => console.log(line)) {
  return createMiddleware<{ Variables: CorrelationVariables }>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      service,
      msg: "request",
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      correlationId: c.var.correlationId,
      ...c.get("requestLogFields"),
    };
    sink(JSON.stringify(line));
  });
}

/**
 * Any other log line (failures, warnings): one JSON object with the same `time`, `level`,
 * `service` and `msg` fields as the request lines, so logs of every kind query alike.
 */
export function logLine(
  level: "info" | "warn" | "error",
  service: string,
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields });
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
