import type { ServiceMigrations } from "@platform/db/migrate";
import { MIGRATION_SETS } from "@platform/dev-stack";

/** Every service schema and its migrations, found the way `npm run migrate` finds them. */
export const SERVICE_SCHEMAS: readonly ServiceMigrations[] = MIGRATION_SETS;
