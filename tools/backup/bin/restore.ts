// `npm run restore -- FILE|r2:KEY [--drop --confirm DATABASE]`: restores a backup taken by
// `npm run backup` into DATABASE_URL, all or nothing, and checks every table against it. docs/backups.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BackupError, downloadFromR2, r2SettingsFrom, restoreBackup } from "../src/index.ts";
import { databaseUrlOrExit, failAndExit } from "../src/cli.ts";
import { redactUrl } from "../src/connection.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { drop: { type: "boolean", default: false }, confirm: { type: "string" } },
});
const source = positionals[0];
if (!source || positionals.length > 1) {
  console.error("Usage: npm run restore -- <backup.tar.gz | r2:<key>> [--drop --confirm <database name>]");
  process.exit(2);
}
const databaseUrl = databaseUrlOrExit("restore into");
let downloads: string | undefined;
try {
  let file = resolve(source);
  if (source.startsWith("r2:")) {
    const r2 = r2SettingsFrom(process.env);
    if (!r2) throw new BackupError("r2:<key> needs the BACKUP_R2_* settings (docs/backups.md).");
    downloads = mkdtempSync(join(tmpdir(), "platform-restore-"));
    file = join(downloads, "backup.tar.gz");
    await downloadFromR2(r2, source.slice("r2:".length), file);
  }
  const result = await restoreBackup({
    databaseUrl,
    file,
    drop: values.drop,
    confirmDatabase: values.confirm,
    say: (line) => console.log(line),
  });
  console.log(`Restored the backup of ${result.manifest.createdAt} into ${redactUrl(databaseUrl)}`);
} catch (error) {
  failAndExit(error);
} finally {
  if (downloads) rmSync(downloads, { recursive: true, force: true });
}
