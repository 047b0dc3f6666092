import { createMiddleware } from "hono/factory";
import type { CorrelationVariables } from "./correlation.ts";

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

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
