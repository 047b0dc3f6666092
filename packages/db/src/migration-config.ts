import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** Every service keeps its migration history in its own schema, under this table name. */
export const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * Where a service keeps the data step that runs right after its migrations, relative to its
 * migrations folder (`workers/<name>/drizzle` → `workers/<name>/src/db/backfill.ts`). Optional:
 * a service without the file has none. It is for what SQL cannot do, such as rendering stored
 * Markdown to HTML, and it must be idempotent: it runs on every migration run.
 */
export const BACKFILL_MODULE = "../src/db/backfill.ts";

/**
 * What that module exports as `backfill`: fills what is missing, in batches, and answers how
 * many rows of each kind it filled. It gets the migration runner's connection (node-postgres),
 * inside the runner's advisory lock.
 */
export type ServiceBackfill = (db: PgDatabase<PgQueryResultHKT>) => Promise<Readonly<Record<string, number>>>;
