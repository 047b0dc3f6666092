import type { DatabaseOf, QueryableOf, TransactionOf } from "@platform/db";
import type * as schema from "./schema.ts";

/** The progress service's database, as its domain modules take it. */
export type Database = DatabaseOf<typeof schema>;
export type Transaction = TransactionOf<typeof schema>;
export type Queryable = QueryableOf<typeof schema>;
