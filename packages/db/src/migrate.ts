import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { BACKFILL_MODULE, MIGRATIONS_TABLE, type ServiceBackfill } from "./migration-config.ts";

/** One service's migrations: its schema name and the folder drizzle-kit generated. */
export interface ServiceMigrations {
  readonly schema: string;
  readonly folder: string;
}

export interface MigrationResult {
  readonly schema: string;
  readonly applied: number;
  /** Rows the service's backfill filled in this run (0 without one, and on every run after the first). */
  readonly backfilled: number;
}

/**
 * Any constant works; it only has to be the same for every process that migrates this database
 * (and for a restore, which rebuilds the schemas: tools/backup).
 */
export const MIGRATION_LOCK_KEY = 7_244_911;

/** Runs `work` on one connection holding the migration lock, so runs in several processes never interleave. */
async function underMigrationLock<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    return await work(client);
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/**
 * The service's backfill (`BACKFILL_MODULE` next to its migrations), if it has one: the rows it
 * filled, summed. Loaded only here, in Node, so a worker's bundle never carries the runner.
 */
async function runBackfill(db: NodePgDatabase, service: ServiceMigrations): Promise<number> {
  const path = join(service.folder, BACKFILL_MODULE);
  if (!existsSync(path)) return 0;
  const module = (await import(pathToFileURL(path).href)) as { backfill?: ServiceBackfill };
  if (typeof module.backfill !== "function") throw new Error(`${path} does not export backfill(db)`);
  const counts = await module.backfill(db);
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/**
 * Applies every service's committed migrations, each into its own schema with its own history
 * table, then that service's backfill for what SQL cannot fill (see `BACKFILL_MODULE`). A
 * session-level advisory lock serialises concurrent runs (two `npm start`s, or a test run next to
 * a dev stack) so they never race on the same DDL.
 */
export async function migrateAll(
  connectionString: string,
  services: readonly ServiceMigrations[],
): Promise<MigrationResult[]> {
  return underMigrationLock(connectionString, async (client) => {
    const db = drizzle({ client });
    const results: MigrationResult[] = [];
    for (const service of services) {
      await migrate(db, {
        migrationsFolder: service.folder,
        migrationsSchema: service.schema,
        migrationsTable: MIGRATIONS_TABLE,
      });
      const { rows } = await client.query<{ applied: number }>(
        `select count(*)::int as applied from "${service.schema}"."${MIGRATIONS_TABLE}"`,
      );
      const backfilled = await runBackfill(db, service);
      results.push({ schema: service.schema, applied: rows[0]?.applied ?? 0, backfilled });
    }
    return results;
  });
}

/**
 * Only the backfills, under the same lock: for a tool that writes rows straight into the tables
 * after migrating (demo data, a benchmark's seed), so what it wrote gets what a write through the
 * API would have stored beside it (rendered HTML). The rows filled, per schema.
 */
export async function backfillAll(
  connectionString: string,
  services: readonly ServiceMigrations[],
): Promise<Record<string, number>> {
  return underMigrationLock(connectionString, async (client) => {
    const db = drizzle({ client });
    const filled: Record<string, number> = {};
    for (const service of services) filled[service.schema] = await runBackfill(db, service);
    return filled;
  });
}
