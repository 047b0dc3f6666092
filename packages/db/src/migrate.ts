import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { MIGRATIONS_TABLE } from "./migration-config.ts";

/** One service's migrations: its schema name and the folder drizzle-kit generated. */
export interface ServiceMigrations {
  readonly schema: string;
  readonly folder: string;
}

export interface MigrationResult {
  readonly schema: string;
  readonly applied: number;
}

/** Any constant works; it only has to be the same for every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_244_911;

/**
 * Applies every service's committed migrations, each into its own schema with its own history
 * table. A session-level advisory lock serialises concurrent runs (two `npm start`s, or a test
 * run next to a dev stack) so they never race on the same DDL.
 */
export async function migrateAll(
  connectionString: string,
  services: readonly ServiceMigrations[],
): Promise<MigrationResult[]> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
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
      results.push({ schema: service.schema, applied: rows[0]?.applied ?? 0 });
    }
    return results;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
