import type pg from "pg";

/** A schema name no other test file or run uses. */
export const scratchSchemaName = (prefix: string): string => `${prefix}_${process.pid}_${Date.now().toString(36)}`;

/**
 * A throw-away schema with an outbox and a processed_events table, for a routes test that
 * exercises the event-table functions directly with no other file's rows in the way. The tables
 * are copied (`like … including all`: columns, defaults, identity, indexes) from the users schema
 * the routes project migrated, so they are what the committed migrations create and cannot drift.
 */
export async function createScratchEventTables(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`create schema ${schema};
    create table ${schema}.outbox (like users.outbox including all);
    create table ${schema}.processed_events (like users.processed_events including all)`);
}
