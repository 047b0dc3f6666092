import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type pg from "pg";
// The lock `migrateAll` takes: a restore and a migration never run on the same database at once.
import { MIGRATION_LOCK_KEY, migrateAll, type ServiceMigrations } from "@platform/db/migrate";
import { asArchiveError, openArchive } from "./archive.ts";
import { existingSchemas, qualified, quoteIdent } from "./catalog.ts";
import { connect, describeDatabase } from "./connection.ts";
import { BackupError } from "./errors.ts";
import type { Manifest, SchemaEntry, TableEntry } from "./manifest.ts";
import { applyMigrations, planRestore } from "./migrations.ts";
import { SERVICE_SCHEMAS } from "./services.ts";
import { dumpTable, loadTable, type StreamDigest } from "./table-copy.ts";

export interface RestoreOptions {
  readonly databaseUrl: string;
  readonly file: string;
  /** Drop the backup's schemas first (all their data) — only with `confirmDatabase` naming the target database. */
  readonly drop?: boolean;
  readonly confirmDatabase?: string;
  readonly services?: readonly ServiceMigrations[];
  /** Told each step as it happens (the CLI prints them). */
  readonly say?: (line: string) => void;
}

export interface RestoreResult {
  readonly manifest: Manifest;
  readonly database: string;
  readonly rows: number;
  /** Migrations of this checkout applied after the rows went in (the backup came from older code). */
  readonly migratedAfter: number;
}

/**
 * Restores a backup in one transaction: (drop,) rebuild each schema to the migrations the backup
 * records, load every table in the backup's order, put the sequences back, then read every table
 * again and compare it with the manifest's checksum. Anything wrong — a damaged file, a checksum
 * that differs, a row PostgreSQL rejects — rolls all of it back, the drop too, so the database is
 * never left half-restored. Only then does it apply the migrations this checkout has on top.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const services = options.services ?? SERVICE_SCHEMAS;
  const say = options.say ?? (() => {});
  const archive = await openArchive(options.file);
  let client: pg.Client | undefined;
  try {
    const { manifest } = archive;
    const plans = planRestore(manifest, services);
    client = await connect(options.databaseUrl);
    const { database } = await describeDatabase(client);
    await assertTargetAllowed(client, manifest, database, options);

    await client.query("begin");
    await client.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    if (options.drop) {
      for (const schema of manifest.schemas)
        await client.query(`drop schema if exists ${quoteIdent(schema.name)} cascade`);
    }
    for (const plan of plans) {
      await applyMigrations(client, plan);
      say(`${plan.schema.padEnd(14)} ${plan.toApply.length} migration(s) applied`);
    }
    let rows = 0;
    try {
      for (const schema of manifest.schemas) {
        for (const table of schema.tables) rows += await loadNext(client, archive.entries, schema, table);
      }
      await assertArchiveEnds(archive.entries);
    } catch (error) {
      throw asArchiveError(options.file, error);
    }
    for (const schema of manifest.schemas) await restoreSequences(client, schema);
    await verify(client, manifest);
    await client.query("commit");
    say(`Restored ${rows} row(s) into ${database}; every table matches the backup's checksum.`);

    const newer = plans.reduce((sum, plan) => sum + plan.newerInCode, 0);
    if (newer > 0) {
      await migrateAll(options.databaseUrl, services);
      say(`Applied ${newer} newer migration(s) of this checkout on top.`);
    }
    return { manifest, database, rows, migratedAfter: newer };
  } catch (error) {
    await client?.query("rollback").catch(() => {});
    throw error;
  } finally {
    await archive.close().catch(() => {});
    await client?.end().catch(() => {});
  }
}

/** Restores only into an empty database, or over the backup's schemas when told to drop them and which database it is. */
async function assertTargetAllowed(
  client: pg.ClientBase,
  manifest: Manifest,
  database: string,
  options: RestoreOptions,
): Promise<void> {
  const present = await existingSchemas(
    client,
    manifest.schemas.map((schema) => schema.name),
  );
  if (options.drop) {
    if (options.confirmDatabase !== database) {
      throw new BackupError(
        `--drop deletes schemas ${present.join(", ") || "(none yet)"} of database "${database}": confirm with --confirm ${database}.`,
      );
    }
    return;
  }
  if (present.length > 0) {
    throw new BackupError(
      `Database "${database}" already has schemas ${present.join(", ")}. Restore into an empty database (a new Neon branch), or replace them with --drop --confirm ${database}.`,
    );
  }
}

/** Loads the next entry of the archive into its table and checks it is the file the manifest describes. */
async function loadNext(
  client: pg.ClientBase,
  entries: OpenedEntries,
  schema: SchemaEntry,
  table: TableEntry,
): Promise<number> {
  const next = await entries.next();
  if (next.done) throw new BackupError(`The backup ends before ${table.file}: the file is truncated.`);
  if (next.value.header.name !== table.file) {
    await next.value.body.cancel();
    throw new BackupError(`The backup holds ${next.value.header.name} where ${table.file} was expected.`);
  }
  const body = Readable.fromWeb(next.value.body as NodeReadableStream<Uint8Array>);
  const target = { schema: schema.name, table: table.name, columns: table.columns, orderBy: table.orderBy };
  const read = await loadTable(client, target, body);
  assertSame(`${schema.name}.${table.name} in the file`, read, table);
  return read.rows;
}

type OpenedEntries = Awaited<ReturnType<typeof openArchive>>["entries"];

/** After the last table there must be nothing but the end of the archive (and gzip's own check). */
async function assertArchiveEnds(entries: OpenedEntries): Promise<void> {
  const next = await entries.next();
  if (!next.done) {
    await next.value.body.cancel();
    throw new BackupError(`The backup holds ${next.value.header.name}, which its manifest does not list.`);
  }
}

/** Puts each sequence back where it stood, never behind the highest value the restored rows hold. */
async function restoreSequences(client: pg.ClientBase, schema: SchemaEntry): Promise<void> {
  for (const entry of schema.sequences) {
    const table = qualified(schema.name, entry.table);
    const column = quoteIdent(entry.column);
    await client.query(
      `select case when top is not null and top >= $3::bigint
                   then setval(pg_get_serial_sequence($1, $2), top, true)
                   else setval(pg_get_serial_sequence($1, $2), $3::bigint, $4) end
         from (select max(${column})::bigint as top from ${table}) as highest`,
      [table, entry.column, entry.lastValue, entry.isCalled],
    );
  }
}

/** Reads every restored table back, as the backup read it, and compares it with the manifest. */
async function verify(client: pg.ClientBase, manifest: Manifest): Promise<void> {
  for (const schema of manifest.schemas) {
    for (const table of schema.tables) {
      const target = { schema: schema.name, table: table.name, columns: table.columns, orderBy: table.orderBy };
      assertSame(`${schema.name}.${table.name} once restored`, await dumpTable(client, target), table);
    }
  }
}

function assertSame(what: string, actual: StreamDigest, expected: TableEntry): void {
  if (actual.rows !== expected.rows || actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) {
    throw new BackupError(
      `${what} does not match the backup's manifest (${actual.rows} row(s), sha256 ${actual.sha256.slice(0, 12)}…; expected ${expected.rows}, ${expected.sha256.slice(0, 12)}…): the file is damaged. Nothing was restored.`,
    );
  }
}
