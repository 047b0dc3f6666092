import { Pool, neonConfig } from "@neondatabase/serverless";
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
}

export interface DatabaseHandle<TSchema extends Record<string, unknown>> {
  readonly db: NeonDatabase<TSchema>;
  readonly pool: Pool;
  /** Ends the pool; Workers cannot keep sockets across requests, so every request closes its own. */
  close(): Promise<void>;
}

function configureDriver(bindings: DatabaseBindings): void {
  const proxy = bindings.NEON_WS_PROXY;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  } else {
    neonConfig.wsProxy = (host) => `${host}/v2`;
    neonConfig.useSecureWebSocket = true;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = "password";
  }
}

/**
 * Opens a pool for one request. The pool gets an `error` listener: an idle connection that the
 * server or proxy drops would otherwise surface as an uncaught "Network connection lost".
 */
export function openDatabase<TSchema extends Record<string, unknown>>(
  bindings: DatabaseBindings,
  schema: TSchema,
  onPoolError: (error: Error) => void = () => {},
): DatabaseHandle<TSchema> {
  if (!bindings.DATABASE_URL) {
    throw new Error("DATABASE_URL is not configured for this worker");
  }
  configureDriver(bindings);
  const pool = new Pool({ connectionString: bindings.DATABASE_URL, max: 4 });
  pool.on("error", onPoolError);
  const db = drizzle({ client: pool, schema });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    close: () => (closing ??= pool.end().catch(() => {})),
  };
}
