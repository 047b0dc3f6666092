import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";

/**
 * The local stand-in for Neon's SQL-over-HTTP endpoint (`POST https://<endpoint>/sql`), which the
 * Neon driver uses for `neon()` queries and, with `neonConfig.poolQueryViaFetch`, for a Pool's
 * queries outside transactions. Like Neon's proxy, it answers each query on a pooled PostgreSQL
 * session, so a request that only reads opens no session of its own.
 *
 * The protocol, as `@neondatabase/serverless` 1.2 speaks it (src/httpQuery.ts, and its tests that
 * compare HTTP results with WebSocket ones field by field):
 * - headers `Neon-Connection-String` (who connects to which database), `Neon-Raw-Text-Output: true`
 *   (every value in PostgreSQL's text format; the driver parses them by `dataTypeID`),
 *   `Neon-Array-Mode`, and for a batch `Neon-Batch-Isolation-Level`, `Neon-Batch-Read-Only`,
 *   `Neon-Batch-Deferrable`;
 * - body `{ query, params }`, or `{ queries: [{ query, params }, …] }` for a batch that runs in one
 *   transaction; params are strings or null (the driver has already serialised them);
 * - answer `{ command, rowCount, rows, fields, rowAsArray }`, or `{ results: [those] }` for a batch;
 * - a query that PostgreSQL refuses: 400 with the error's fields (`message`, `code`, `detail`,
 *   `constraint`, …), which the driver copies onto its `NeonDbError`; anything else is a non-400
 *   status, which the driver reports as "Server error (HTTP status …)".
 *
 * Only the one database the dev stack started is reachable: the connection string's host and port
 * are ignored (on Neon the host names the endpoint), its user, password and database are used.
 */
export interface SqlOverHttpOptions {
  readonly target: { readonly host: string; readonly port: number };
  /** Sessions kept per user and database; Neon's pooler keeps a few per endpoint too. */
  readonly poolSize?: number;
}

export interface SqlOverHttp {
  /** Answers `POST /sql`; the caller routes only that path here. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** What the test switch says the database is: `down` answers 503, `hang` never answers. */
  setState(state: "up" | "down" | "hang"): void;
  close(): Promise<void>;
}

export const SQL_OVER_HTTP_PATH = "/sql";

interface ParameterizedQuery {
  readonly query: string;
  readonly params: readonly (string | null)[];
}

/** The largest request body accepted: lesson bodies are up to 200 kB, a batch a few of them. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};
/** Every column comes back as PostgreSQL sent it: the driver, not this server, parses values. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

class BadRequest extends Error {}

export function sqlOverHttp(options: SqlOverHttpOptions): SqlOverHttp {
  const pools = new Map<string, pg.Pool>();
  let state: "up" | "down" | "hang" = "up";
  const held = new Set<ServerResponse>();

  const poolFor = (connectionString: string): pg.Pool => {
    let url: URL;
    try {
      url = new URL(connectionString);
    } catch {
      throw new BadRequest("Neon-Connection-String is not a valid URL");
    }
    if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
      throw new BadRequest("Neon-Connection-String must be a postgresql:// URL");
    }
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const database = decodeURIComponent(url.pathname.slice(1));
    if (!user || !database) throw new BadRequest("Neon-Connection-String must name a user and a database");
    const key = JSON.stringify([user, password, database]);
    let pool = pools.get(key);
    if (!pool) {
      pool = new pg.Pool({
        host: options.target.host,
        port: options.target.port,
        user,
        password,
        database,
        max: options.poolSize ?? 10,
        idleTimeoutMillis: 30_000,
        connectionTimeoutMillis: 5_000,
        application_name: url.searchParams.get("application_name") ?? "sql-over-http",
      });
      // A session that the server drops is an error event on its client, idle or checked out: the
      // query on it (if any) fails and answers 503; the event must not take the dev stack down.
      pool.on("error", () => {});
      pool.on("connect", (client) => client.on("error", () => {}));
      pools.set(key, pool);
    }
    return pool;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== "POST") {
      answer(response, 405, { message: "POST a query to /sql" }, { allow: "POST" });
      return;
    }
    try {
      const body = await readBody(request);
      if (state === "hang") {
        // Like a database that holds every query: the client's own timeout is what ends it.
        held.add(response);
        response.on("close", () => held.delete(response));
        return;
      }
      if (state === "down") {
        answer(response, 503, { message: "the database cannot be reached (switched down by a test)" });
        return;
      }
      if (header(request, "neon-raw-text-output") !== "true") {
        throw new BadRequest("only Neon-Raw-Text-Output: true is served here (the driver always sends it)");
      }
      const arrayMode = header(request, "neon-array-mode") === "true";
      const connectionString = header(request, "neon-connection-string");
      if (!connectionString) throw new BadRequest("Neon-Connection-String is required");
      const pool = poolFor(connectionString);
      const parsed = parseBody(body);
      const mode = "queries" in parsed ? batchMode(request) : {};
      // Authentication or "no such database" fails here with PostgreSQL's answer (a 400 below); an
      // unreachable server with a socket error (a 503, as Neon answers when it cannot reach a compute).
      const client = await pool.connect();
      let broken = false;
      try {
        if ("queries" in parsed) {
          const results = await runBatch(client, parsed.queries, arrayMode, mode);
          answer(response, 200, { results });
        } else {
          answer(response, 200, await runOne(client, parsed, arrayMode));
        }
      } catch (error) {
        if (!isServerAnswer(error)) {
          broken = true;
          throw error;
        }
        answer(response, 400, serverError(error));
      } finally {
        client.release(broken);
      }
    } catch (error) {
      if (error instanceof BadRequest) answer(response, 400, { message: error.message });
      else if (isServerAnswer(error)) answer(response, 400, serverError(error));
      else answer(response, 503, { message: `the database connection failed: ${(error as Error).message}` });
    }
  }

  return {
    handle,
    setState(next) {
      state = next;
      if (next !== "hang") for (const response of held) response.destroy();
    },
    async close() {
      for (const response of held) response.destroy();
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
      pools.clear();
    },
  };
}

async function runOne(client: pg.PoolClient, query: ParameterizedQuery, arrayMode: boolean) {
  // `queryMode` is node-postgres's (8.12+), missing from its types.
  const config: pg.QueryArrayConfig<(string | null)[]> & { queryMode: "extended" } = {
    text: query.query,
    values: [...query.params],
    rowMode: "array",
    types: RAW_TEXT,
    // Always the extended protocol, as on Neon: one statement per query, parameters never spliced in.
    queryMode: "extended",
  };
  const result = await client.query(config);
  const fields = result.fields.map((field) => ({
    name: field.name,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeID: field.dataTypeID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    format: field.format,
  }));
  const rows = arrayMode
    ? result.rows
    : (result.rows as unknown[][]).map((row) => Object.fromEntries(fields.map((field, i) => [field.name, row[i]])));
  return { command: result.command, rowCount: result.rowCount, rows, fields, rowAsArray: arrayMode };
}

interface BatchMode {
  readonly isolation?: string;
  readonly readOnly?: boolean;
  readonly deferrable?: boolean;
}

async function runBatch(
  client: pg.PoolClient,
  queries: readonly ParameterizedQuery[],
  arrayMode: boolean,
  mode: BatchMode,
) {
  const characteristics = [
    mode.isolation && `ISOLATION LEVEL ${mode.isolation}`,
    mode.readOnly !== undefined && (mode.readOnly ? "READ ONLY" : "READ WRITE"),
    mode.deferrable !== undefined && (mode.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE"),
  ].filter(Boolean);
  await client.query(`BEGIN ${characteristics.join(" ")}`);
  try {
    const results = [];
    for (const query of queries) results.push(await runOne(client, query, arrayMode));
    await client.query("COMMIT");
    return results;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

function batchMode(request: IncomingMessage): BatchMode {
  const isolationHeader = header(request, "neon-batch-isolation-level");
  const isolation = isolationHeader === undefined ? undefined : ISOLATION_LEVELS[isolationHeader];
  if (isolationHeader !== undefined && isolation === undefined) {
    throw new BadRequest(`Neon-Batch-Isolation-Level must be one of ${Object.keys(ISOLATION_LEVELS).join(", ")}`);
  }
  const flag = (name: string) => {
    const value = header(request, name);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") throw new BadRequest(`${name} must be true or false`);
    return value === "true";
  };
  return { isolation, readOnly: flag("neon-batch-read-only"), deferrable: flag("neon-batch-deferrable") };
}

function parseBody(body: string): ParameterizedQuery | { queries: ParameterizedQuery[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequest("the body is not JSON");
  }
  if (typeof json === "object" && json !== null && "queries" in json) {
    const { queries } = json as { queries: unknown };
    if (!Array.isArray(queries)) throw new BadRequest("queries must be an array");
    return { queries: queries.map(parseQuery) };
  }
  return parseQuery(json);
}

function parseQuery(value: unknown): ParameterizedQuery {
  const { query, params } = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") throw new BadRequest("query must be a non-empty string");
  const list = params ?? [];
  if (!Array.isArray(list) || !list.every((param) => param === null || typeof param === "string")) {
    throw new BadRequest("params must be an array of strings and nulls (the driver serialises values)");
  }
  return { query, params: list as (string | null)[] };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** PostgreSQL's own error answer (it has a SQLSTATE), as opposed to a socket or driver failure. */
function isServerAnswer(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

function serverError(error: pg.DatabaseError): Record<string, unknown> {
  const fields: Record<string, unknown> = { message: error.message };
  for (const name of ERROR_FIELDS) {
    const value = error[name];
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
