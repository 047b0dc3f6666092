/** Every service keeps its migration history in its own schema, under this table name. */
export const MIGRATIONS_TABLE = "__drizzle_migrations";
