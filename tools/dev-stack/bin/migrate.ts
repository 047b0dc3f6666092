// `npm run migrate`: applies every service's committed migrations to DATABASE_URL.
import { migrateAll } from "@platform/db/migrate";
import { MIGRATION_SETS, assertReachable, redactUrl } from "../src/index.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the PostgreSQL to migrate (npm start migrates its own database itself).");
  process.exit(2);
}
try {
  await assertReachable(url);
  const results = await migrateAll(url, MIGRATION_SETS);
  for (const { schema, applied, backfilled } of results) {
    const filled = backfilled > 0 ? `, ${backfilled} row(s) backfilled` : "";
    console.log(`${schema.padEnd(14)} ${applied} migration(s) applied${filled}`);
  }
  console.log(`Migrated ${redactUrl(url)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
