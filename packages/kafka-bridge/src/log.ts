export type LogLevel = "info" | "warn" | "error";

export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export const SERVICE = "kafka-bridge";

/**
 * One JSON object per line, with the `time`, `level`, `service` and `msg` fields every platform
 * log line has (see @platform/http-kit's logLine), so the bridge's logs query like the workers'.
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return (level, msg, fields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, service: SERVICE, msg, ...fields }));
  };
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return `${error.message || "several errors"}: ${error.errors.map(errorText).join("; ")}`;
  }
  return error instanceof Error ? error.message : String(error);
}
