import pg from "pg";

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(an unparseable URL)";
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(connectionString: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`Cannot reach the PostgreSQL at DATABASE_URL=${redactUrl(connectionString)}: ${reason}`);
    this.name = "DatabaseUnreachableError";
  }
}

export interface ParsedTarget {
  readonly host: string;
  readonly port: number;
}

export function targetOf(connectionString: string): ParsedTarget {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new DatabaseUnreachableError(connectionString, new Error("not a valid postgres:// URL"));
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new DatabaseUnreachableError(connectionString, new Error("not a postgres:// URL"));
  }
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/** Connects once with a short timeout so a wrong DATABASE_URL fails fast and says which URL. */
export async function assertReachable(connectionString: string): Promise<void> {
  targetOf(connectionString);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new DatabaseUnreachableError(connectionString, error);
  } finally {
    await client.end().catch(() => {});
  }
}
