import pg from "pg";
import { inject } from "vitest";

/**
 * The started stack's PostgreSQL, reached directly (node-postgres), for what a test sets up or
 * checks behind the API's back: a role change, an outbox row, what a service recorded.
 */
export const db = new pg.Pool({ connectionString: inject("databaseUrl") });
