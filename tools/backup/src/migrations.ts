import { readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_TABLE } from "@platform/db";
import type { ServiceMigrations } from "@platform/db/migrate";
import { qualified, quoteIdent } from "./catalog.ts";
import { BackupError } from "./errors.ts";
import type { AppliedMigration, Manifest } from "./manifest.ts";

/** One migration of this checkout, as drizzle's migrator reads and records it. */
export interface CodeMigration {
  readonly tag: string;
  readonly hash: string;
  readonly createdAt: number;
  readonly statements: readonly string[];
}

/** The service's committed migrations, in the order drizzle applies them. */
export function codeMigrations(service: ServiceMigrations): CodeMigration[] {
  const journal = JSON.parse(readFileSync(join(service.folder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  const tags = new Map(journal.entries.map((entry) => [entry.when, entry.tag]));
  return readMigrationFiles({ migrationsFolder: service.folder }).map((migration) => ({
    tag: tags.get(migration.folderMillis) ?? "?",
    hash: migration.hash,
    createdAt: migration.folderMillis,
    statements: migration.sql,
  }));
}

/** The migrations a database has applied to one schema (its drizzle history), tagged from this checkout. */
export async function appliedMigrations(
  client: pg.ClientBase,
  service: ServiceMigrations,
): Promise<AppliedMigration[]> {
  const known = new Map(codeMigrations(service).map((migration) => [migration.createdAt, migration.tag]));
  const { rows } = await client.query<{ hash: string; created_at: string }>(
    `select hash, created_at::text from ${qualified(service.schema, MIGRATIONS_TABLE)} order by created_at, id`,
  );
  return rows.map((row) => ({
    tag: known.get(Number(row.created_at)) ?? null,
    hash: row.hash,
    createdAt: Number(row.created_at),
  }));
}

export interface RestorePlan {
  readonly schema: string;
  /** Migrations to apply before the rows go in: exactly those the backed-up database had. */
  readonly toApply: readonly CodeMigration[];
  /** Migrations this checkout has on top, applied after the rows are in and checked (`npm run migrate`). */
  readonly newerInCode: number;
}

/**
 * What each schema needs before its rows can go back, or a BackupError when this checkout cannot
 * rebuild the schema the rows were taken from: a backup from newer code (a migration this checkout
 * lacks), a migration file changed since, or a schema this checkout has no migrations for.
 */
export function planRestore(manifest: Manifest, services: readonly ServiceMigrations[]): RestorePlan[] {
  const bySchema = new Map(services.map((service) => [service.schema, service]));
  return manifest.schemas.map((entry) => {
    const service = bySchema.get(entry.name);
    if (!service)
      throw new BackupError(`The backup holds schema ${entry.name}, which this code has no migrations for.`);
    const code = codeMigrations(service);
    entry.migrations.forEach((recorded, index) => {
      const ours = code[index];
      const name = recorded.tag ?? `created_at ${recorded.createdAt}`;
      if (!ours || ours.createdAt !== recorded.createdAt) {
        const newer = !ours || recorded.createdAt > ours.createdAt;
        throw new BackupError(
          newer
            ? `The backup is newer than this code: schema ${entry.name} had migration ${name}, which this checkout does not have. Restore with the code the backup was taken with (or newer).`
            : `Schema ${entry.name}: this checkout has migration ${ours.tag}, which the backed-up database never applied before ${name}. Restore with the code the backup was taken with.`,
        );
      }
      if (ours.hash !== recorded.hash) {
        throw new BackupError(
          `Schema ${entry.name}: migration ${ours.tag} differs from the one the backed-up database applied (its file was edited since). Restore with the code the backup was taken with.`,
        );
      }
    });
    return {
      schema: entry.name,
      toApply: code.slice(0, entry.migrations.length),
      newerInCode: code.length - entry.migrations.length,
    };
  });
}

/**
 * Builds one schema up to the plan's point on the caller's connection, inside the caller's
 * transaction, writing the same history drizzle's migrator writes (table, hash, created_at), so
 * `npm run migrate` later goes on from exactly there. drizzle's own `migrate()` would commit on
 * its own, and a restore must be all or nothing.
 */
export async function applyMigrations(client: pg.ClientBase, plan: RestorePlan): Promise<void> {
  const history = qualified(plan.schema, MIGRATIONS_TABLE);
  await client.query(`create schema if not exists ${quoteIdent(plan.schema)}`);
  await client.query(
    `create table if not exists ${history} (id serial primary key, hash text not null, created_at bigint)`,
  );
  for (const migration of plan.toApply) {
    for (const statement of migration.statements) await client.query(statement);
    await client.query(`insert into ${history} (hash, created_at) values ($1, $2)`, [
      migration.hash,
      migration.createdAt,
    ]);
  }
}
