import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type pg from "pg";
import { MIGRATIONS_TABLE } from "@platform/db";
import type { ServiceMigrations } from "@platform/db/migrate";
import { writeArchive, type ArchiveFile } from "./archive.ts";
import { qualified, sequenceColumnsOf, tablesOf } from "./catalog.ts";
import { connect, describeDatabase, redactUrl } from "./connection.ts";
import { BackupError } from "./errors.ts";
import {
  FORMAT,
  FORMAT_VERSION,
  SESSION_SETTINGS,
  tableFile,
  type Manifest,
  type SchemaEntry,
  type SequenceEntry,
  type TableEntry,
} from "./manifest.ts";
import { appliedMigrations } from "./migrations.ts";
import { SERVICE_SCHEMAS } from "./services.ts";
import { dumpTable } from "./table-copy.ts";

export interface BackupOptions {
  readonly databaseUrl: string;
  /** Where the .tar.gz goes; its folder is created. */
  readonly file: string;
  readonly services?: readonly ServiceMigrations[];
}

/**
 * Takes a logical backup of every service schema into one file: each table's rows (COPY) and each
 * schema's applied migrations, which is what a restore rebuilds the schema from. It all comes from
 * one REPEATABLE READ snapshot, so rows across schemas are as they were at one instant, and the
 * platform keeps serving meanwhile (a read-only transaction blocks no writer).
 */
export async function createBackup(options: BackupOptions): Promise<Manifest> {
  const services = options.services ?? SERVICE_SCHEMAS;
  const client = await connect(options.databaseUrl);
  const workDir = mkdtempSync(join(tmpdir(), "platform-backup-"));
  try {
    await client.query("begin isolation level repeatable read read only");
    const source = await describeDatabase(client);
    const files: ArchiveFile[] = [];
    const schemas: SchemaEntry[] = [];
    for (const service of services) {
      await assertMigrated(client, service.schema, options.databaseUrl);
      const migrations = await appliedMigrations(client, service);
      const tables: TableEntry[] = [];
      for (const shape of await tablesOf(client, service.schema)) {
        const file = tableFile(service.schema, shape.name);
        const path = join(workDir, `${service.schema}.${shape.name}.copy`);
        const target = { schema: service.schema, table: shape.name, columns: shape.columns, orderBy: shape.orderBy };
        const digest = await dumpTable(client, target, createWriteStream(path));
        tables.push({ name: shape.name, file, columns: shape.columns, orderBy: shape.orderBy, ...digest });
        files.push({ name: file, path });
      }
      const sequences = await sequenceValues(client, service.schema);
      schemas.push({ name: service.schema, migrations, tables, sequences });
    }
    await client.query("commit");
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      source,
      sessionSettings: { ...SESSION_SETTINGS },
      schemas,
    };
    mkdirSync(dirname(options.file), { recursive: true });
    await writeArchive(options.file, manifest, files);
    return manifest;
  } finally {
    await client.end().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** A schema without its migration history means this is not (or not yet) the platform's database. */
async function assertMigrated(client: pg.ClientBase, schema: string, databaseUrl: string): Promise<void> {
  const { rows } = await client.query<{ found: string | null }>("select to_regclass($1)::text as found", [
    qualified(schema, MIGRATIONS_TABLE),
  ]);
  if (!rows[0]?.found) {
    throw new BackupError(
      `Schema ${schema} has no migration history at DATABASE_URL=${redactUrl(databaseUrl)}: is this the platform's database, migrated (npm run migrate)?`,
    );
  }
}

/** Where each sequence stands, so ids handed out before the backup are never handed out again. */
async function sequenceValues(client: pg.ClientBase, schema: string): Promise<SequenceEntry[]> {
  const entries: SequenceEntry[] = [];
  for (const column of await sequenceColumnsOf(client, schema)) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${column.sequence}`,
    );
    const row = rows[0];
    if (row)
      entries.push({ table: column.table, column: column.column, lastValue: row.last_value, isCalled: row.is_called });
  }
  return entries;
}
