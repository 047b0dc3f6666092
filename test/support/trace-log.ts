import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { inject, vi } from "vitest";
import { ASYNC_EFFECTS } from "./polling.ts";

/**
 * The stack's JSON log lines with their trace fields (docs/observability.md#log-lines), for tests
 * that follow one request across workers. Every worker's console output reaches one wrangler log.
 */
export interface TracedRecord {
  readonly service?: string;
  readonly msg?: string;
  readonly level?: string;
  readonly route?: string;
  readonly path?: string;
  readonly status?: number;
  readonly correlationId?: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly parentSpanId?: string;
  readonly linkedTraceId?: string;
  readonly userId?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly outcome?: string;
}

const logDir = () => inject("logDir");
const wranglerLog = () => join(logDir(), `wrangler-${new URL(inject("gatewayUrl")).port}.log`);

/** Every file the stack logs to (wrangler's, with every worker's lines; PostgreSQL's; …), by name. */
export function stackLogFiles(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(logDir(), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => [entry.name, readFileSync(join(logDir(), entry.name), "utf8")]),
  );
}

/** Every worker JSON line (wrangler prefixes each with `[worker-name] `). */
export function logRecords(): TracedRecord[] {
  return readFileSync(wranglerLog(), "utf8")
    .split("\n")
    .filter((line) => line.includes('"service":'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line.slice(line.indexOf("{"))) as TracedRecord];
      } catch {
        return [];
      }
    });
}

/** Waits (bounded) for the one log line that matches, and returns it. */
export async function logRecord(
  what: string,
  matches: (record: TracedRecord) => boolean,
  timeout: number = ASYNC_EFFECTS.timeout,
): Promise<TracedRecord> {
  return vi.waitFor(
    () => {
      const found = logRecords().filter(matches);
      if (found.length === 0) throw new Error(`No log line for ${what}.`);
      return found[0] as TracedRecord;
    },
    { timeout, interval: ASYNC_EFFECTS.interval },
  );
}
