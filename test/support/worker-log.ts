import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inject, vi } from "vitest";

/**
 * The JSON log lines the stack's workers wrote (one per request, each with the correlation id),
 * for tests that prove which workers a request reached.
 */
export interface LogRecord {
  readonly service?: string;
  readonly msg?: string;
  readonly path?: string;
  readonly status?: number;
  readonly correlationId?: string;
}

const wranglerLog = () =>
  readFileSync(join(inject("logDir"), `wrangler-${new URL(inject("gatewayUrl")).port}.log`), "utf8");

function parsed(line: string): LogRecord[] {
  try {
    return [JSON.parse(line.slice(line.indexOf("{"))) as LogRecord];
  } catch {
    return [];
  }
}

function recordsWith(correlationId: string): LogRecord[] {
  return wranglerLog()
    .split("\n")
    .filter((line) => line.includes(correlationId) && line.includes("{"))
    .flatMap(parsed);
}

/**
 * Waits (bounded) for the gateway's line for this request, which it writes last, then returns
 * every worker's lines for it. Lines reach the log asynchronously through wrangler.
 */
export async function logRecordsFor(correlationId: string): Promise<LogRecord[]> {
  await vi.waitFor(
    () => {
      if (!recordsWith(correlationId).some((record) => record.service === "gateway"))
        throw new Error(`No gateway log line for ${correlationId}.`);
    },
    { timeout: 5_000, interval: 100 },
  );
  // A line from a worker behind the gateway is written before the gateway's; give stragglers a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return recordsWith(correlationId);
}

/** The workers whose request log has this correlation id (event deliveries carry it too, and are left out). */
export const servicesThatSaw = async (correlationId: string) =>
  (await logRecordsFor(correlationId))
    .filter((record) => record.msg === "request")
    .map((record) => record.service)
    .sort();
