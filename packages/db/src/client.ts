import { Pool, neonConfig, type PoolClient } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";

/** What a worker needs in its environment to reach PostgreSQL. */
export interface DatabaseBindings {
  /** A Neon (or any PostgreSQL) connection string. A secret in production. */
  readonly DATABASE_URL: string;
  /**
   * Local development only: `host:port` of the WebSocket-to-TCP proxy in front of a plain
   * PostgreSQL. When set, the driver speaks unencrypted WebSocket to that proxy instead of
   * Neon's TLS endpoint.
   */
  readonly NEON_WS_PROXY?: string;
  /** Milliseconds to open a connection (WebSocket, TLS, startup, authentication) before giving up. */
  readonly DATABASE_CONNECT_TIMEOUT_MS?: string | number;
  /** Milliseconds to wait for the answer to one query before giving up on it. */
  readonly DATABASE_QUERY_TIMEOUT_MS?: string | number;
}

/**
 * Well above a Neon compute's cold start (usually a few hundred milliseconds) plus the WebSocket
 * and TLS handshakes, and short enough that a caller of an unreachable database hears so quickly.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Every query here is a point read, a page or a small transaction: healthy ones take milliseconds. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

export interface DatabaseTimeouts {
  readonly connectMs: number;
  readonly queryMs: number;
}

/** The timeouts from the worker's vars; a missing or malformed value falls back to its default. */
export function databaseTimeouts(bindings: DatabaseBindings): DatabaseTimeouts {
  return {
    connectMs: positiveOr(bindings.DATABASE_CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
    queryMs: positiveOr(bindings.DATABASE_QUERY_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS),
  };
}

function positiveOr(value: string | number | undefined, fallback: number): number {
  const parsed = typeof value === "number" ? value : Number(value);
  return value !== undefined && value !== "" && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** What one request (or RPC call) asked of PostgreSQL: the figures its request log line carries. */
export interface DatabaseUsage {
  /** Statements sent, over HTTP or inside a transaction's session (`begin` and `commit` included). */
  readonly queries: number;
  /** PostgreSQL sessions the request opened (one per transaction; reads over HTTP open none). */
  readonly sessions: number;
}

export interface DatabaseHandle<TSchema extends Record<string, unknown>> {
  readonly db: NeonDatabase<TSchema>;
  readonly pool: Pool;
  usage(): DatabaseUsage;
  /** Ends the pool; Workers cannot keep sockets across requests, so every request closes its own. */
  close(): Promise<void>;
}

/** Neon's own endpoint for HTTP queries, whatever a local run had set before. */
const NEON_FETCH_ENDPOINT = undefined;

function configureDriver(bindings: DatabaseBindings, timeouts: DatabaseTimeouts): void {
  const proxy = bindings.NEON_WS_PROXY;
  // Queries outside a transaction go over HTTP (one round trip, on a session Neon keeps pooled);
  // a transaction takes a WebSocket session of its own from the request's pool.
  neonConfig.poolQueryViaFetch = true;
  neonConfig.fetchFunction = fetchWithin(timeouts.queryMs);
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
    neonConfig.fetchEndpoint = () => `http://${proxy}/sql`;
  } else {
    neonConfig.wsProxy = (host) => `${host}/v2`;
    neonConfig.useSecureWebSocket = true;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = "password";
    neonConfig.fetchEndpoint = NEON_FETCH_ENDPOINT as unknown as typeof neonConfig.fetchEndpoint;
  }
}

/**
 * The driver's HTTP queries have no timeout of their own (`query_timeout` is the WebSocket
 * client's): each fetch gets the same bound, so a database that holds a query fails it in time.
 */
function fetchWithin(queryMs: number) {
  return (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(queryMs) });
}

/**
 * Opens a pool for one request. Its queries outside a transaction go over HTTP
 * (`poolQueryViaFetch`), which the driver does only while the pool has no listeners but `error`:
 * so the pool is watched by wrapping `connect`, not through its `connect`/`remove` events.
 *
 * Each session's client gets an `error` listener: a connection that the server or proxy drops
 * would otherwise surface as an uncaught "Network connection lost" or "Connection terminated
 * unexpectedly".
 *
 * Both timeouts hold whatever is in front of PostgreSQL. `connectionTimeoutMillis` bounds opening a
 * session, and waiting for a free one in the pool. `query_timeout` (sessions) and the fetch's own
 * signal (HTTP) bound one query's answer; neither cancels the query on the server, but the
 * request's pool is closed after the answer, and PostgreSQL rolls back a transaction whose
 * connection is gone, so nothing half-done is committed. A server-side `statement_timeout` pool
 * option would not do: Neon's proxy drops it from the startup message and PgBouncer refuses the
 * connection over it (docs/configuration.md says how to set one on the role).
 */
export function openDatabase<TSchema extends Record<string, unknown>>(
  bindings: DatabaseBindings,
  schema: TSchema,
  onPoolError: (error: Error) => void = () => {},
): DatabaseHandle<TSchema> {
  if (!bindings.DATABASE_URL) {
    throw new Error("DATABASE_URL is not configured for this worker");
  }
  const timeouts = databaseTimeouts(bindings);
  configureDriver(bindings, timeouts);
  const pool = new Pool({
    connectionString: bindings.DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
  });
  pool.on("error", onPoolError);
  const clients = new Set<PoolClient>();
  let queries = 0;
  const watch = (client: PoolClient) => {
    if (clients.has(client)) return;
    clients.add(client);
    // The pool listens for errors only on idle clients; a connection that drops while a client
    // is checked out (mid-transaction) would otherwise be an uncaught error. The query still fails.
    client.on("error", onPoolError);
  };
  type ConnectCallback = (
    error: Error | undefined,
    client: PoolClient | undefined,
    done: (release?: unknown) => void,
  ) => void;
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | undefined;
  // drizzle takes a session (for `transaction()`) by the promise form; the pool itself, should its
  // queries ever leave the HTTP path, by the callback form. Both are watched.
  pool.connect = ((callback?: ConnectCallback) => {
    if (callback) {
      return connect((error, client, done) => {
        if (client) watch(client);
        callback(error, client, done);
      });
    }
    return (connect() as Promise<PoolClient>).then((client) => {
      watch(client);
      return client;
    });
  }) as typeof pool.connect;
  const db = drizzle({ client: pool, schema, logger: { logQuery: () => void queries++ } });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    usage: () => ({ queries, sessions: clients.size }),
    close: () => (closing ??= endPool(pool, clients).catch(() => {})),
  };
}

/**
 * Ends the pool once the request's work is over. drizzle does not release the client of a
 * transaction whose `begin` itself failed (a query timeout, a dropped connection), and `end()`
 * waits for every checked-out client: such a client is released here, destroyed, so the pool ends.
 * A client already back in the pool refuses a second release; `end()` closes those.
 */
async function endPool(pool: Pool, clients: ReadonlySet<PoolClient>): Promise<void> {
  const ended = pool.end();
  for (const client of clients) {
    try {
      client.release(true);
    } catch {
      // Idle: already released.
    }
  }
  await ended;
}
