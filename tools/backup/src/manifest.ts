import { z } from "zod";
import { BackupError } from "./errors.ts";

/**
 * The backup file: a gzip-compressed POSIX tar archive (`tar -tzf` lists it) holding
 *   manifest.json                  what is inside, written first so a restore can refuse early;
 *   data/<schema>/<table>.copy     each table's rows in PostgreSQL's COPY text format, in the
 *                                  manifest's order (parents before the tables that refer to them).
 * FORMAT_VERSION changes whenever a reader of the old layout would misread the new one.
 */
export const FORMAT = "edge-learning-platform/logical-backup";
export const FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = "manifest.json";

/** The session settings both ends use, so COPY writes dates, floats and bytes the same way every time. */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  TimeZone: "UTC",
  DateStyle: "ISO, YMD",
  IntervalStyle: "postgres",
  extra_float_digits: "1",
  bytea_output: "hex",
  client_encoding: "UTF8",
};

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, "a lower-case SQL identifier");

const appliedMigration = z.object({
  /** The drizzle-kit tag (`0003_outbox_confirmed`); null when the code that took the backup did not know it. */
  tag: z.string().nullable(),
  hash: sha256,
  /** drizzle's `created_at`: the journal's `when` of the migration, the order drizzle applies them in. */
  createdAt: z.number().int(),
});

const tableEntry = z.object({
  name: identifier,
  file: z.string(),
  columns: z.array(identifier).min(1),
  /** What the rows are sorted by, so the same rows always give the same bytes and checksum. */
  orderBy: z.array(identifier),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256,
});

const sequenceEntry = z.object({
  table: identifier,
  column: identifier,
  lastValue: z.string().regex(/^-?\d+$/),
  isCalled: z.boolean(),
});

const schemaEntry = z.object({
  name: identifier,
  migrations: z.array(appliedMigration),
  tables: z.array(tableEntry),
  sequences: z.array(sequenceEntry),
});

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int(),
  createdAt: z.iso.datetime(),
  source: z.object({ database: z.string(), serverVersion: z.string() }),
  sessionSettings: z.record(z.string(), z.string()),
  schemas: z.array(schemaEntry).min(1),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type SchemaEntry = z.infer<typeof schemaEntry>;
export type TableEntry = z.infer<typeof tableEntry>;
export type SequenceEntry = z.infer<typeof sequenceEntry>;
export type AppliedMigration = z.infer<typeof appliedMigration>;

export function tableFile(schema: string, table: string): string {
  return `data/${schema}/${table}.copy`;
}

/** The manifest from its bytes, or a BackupError saying why this is not a backup this code can read. */
export function parseManifest(bytes: Uint8Array): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new BackupError("The backup's manifest.json is not valid JSON: the file is damaged.");
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === "number" && version > FORMAT_VERSION) {
    throw new BackupError(
      `The backup is in format version ${version}; this code reads version ${FORMAT_VERSION}. Restore with the newer code.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(top)"}: ${issue.message}` : "unknown";
    throw new BackupError(`The backup's manifest.json is not a ${FORMAT} manifest (${where}).`);
  }
  if (parsed.data.formatVersion !== FORMAT_VERSION) {
    throw new BackupError(`The backup is in format version ${parsed.data.formatVersion}, which this code cannot read.`);
  }
  for (const schema of parsed.data.schemas) {
    for (const table of schema.tables) {
      if (table.file !== tableFile(schema.name, table.name)) {
        throw new BackupError(`The backup's manifest names an unexpected file for ${schema.name}.${table.name}.`);
      }
    }
  }
  return parsed.data;
}
