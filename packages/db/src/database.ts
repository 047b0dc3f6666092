import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { NeonDatabase, NeonTransaction } from "drizzle-orm/neon-serverless";

/** A service schema module as drizzle sees it (the `import * as schema` of `src/db/schema.ts`). */
export type SchemaModule = Record<string, unknown>;

/**
 * A service's database: a request's (or an RPC call's) pool through drizzle. Each worker names
 * its own once, in `src/db/database.ts`: `export type Database = DatabaseOf<typeof schema>`.
 */
export type DatabaseOf<TSchema extends SchemaModule> = NeonDatabase<TSchema>;

/** The transaction `db.transaction(async (tx) => …)` hands its callback. */
export type TransactionOf<TSchema extends SchemaModule> = NeonTransaction<TSchema, ExtractTablesWithRelations<TSchema>>;

/** Either: for a query that runs on its own or inside its caller's transaction. */
export type QueryableOf<TSchema extends SchemaModule> = DatabaseOf<TSchema> | TransactionOf<TSchema>;

/**
 * The row an `INSERT … RETURNING` (without `ON CONFLICT DO NOTHING`) wrote: there is exactly one,
 * or PostgreSQL would have raised. Saying so once beats six `if (!row) throw` in the domain code.
 */
export function insertedRow<T>(rows: readonly T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
  return row;
}
