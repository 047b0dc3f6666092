// `npm run backup [-- --out FILE]`: a logical backup of every service schema of DATABASE_URL to a
// .tar.gz (default .data/backups/), and to R2 as well when BACKUP_R2_* settings are given. docs/backups.md.
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createBackup, r2SettingsFrom, uploadToR2 } from "../src/index.ts";
import { databaseUrlOrExit, failAndExit } from "../src/cli.ts";
import { redactUrl } from "../src/connection.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const databaseUrl = databaseUrlOrExit("back up");
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, "")
  .replace(/\.\d+Z$/, "Z");
const file = resolve(values.out ?? `.data/backups/platform-${stamp}.tar.gz`);
try {
  const r2 = r2SettingsFrom(process.env);
  const manifest = await createBackup({ databaseUrl, file });
  for (const schema of manifest.schemas) {
    const rows = schema.tables.reduce((sum, table) => sum + table.rows, 0);
    const last = schema.migrations.at(-1)?.tag ?? "none";
    console.log(
      `${schema.name.padEnd(14)} ${String(schema.tables.length).padStart(2)} table(s) ${String(rows).padStart(8)} row(s)  at ${last}`,
    );
  }
  console.log(`Backed up ${redactUrl(databaseUrl)} to ${file}`);
  if (r2) console.log(`Uploaded to R2: ${r2.bucket}/${await uploadToR2(r2, file, basename(file))}`);
} catch (error) {
  failAndExit(error);
}
