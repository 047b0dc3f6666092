import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { packTar, unpackTar, type ParsedTarEntryWithData } from "modern-tar";

/**
 * Writes a copy of a backup with its entries changed by `edit` (re-tar'd and re-gzip'd, so the
 * file is well-formed and only what `edit` changed is wrong): how the tests make damaged backups.
 */
export async function rewriteBackup(
  from: string,
  to: string,
  edit: (entries: ParsedTarEntryWithData[]) => ParsedTarEntryWithData[],
): Promise<void> {
  const entries = await unpackTar(gunzipSync(readFileSync(from)));
  const edited = edit(entries).map((entry) => ({
    ...entry,
    header: { ...entry.header, size: entry.data?.length ?? 0 },
  }));
  writeFileSync(to, gzipSync(await packTar(edited)));
}

export function textOf(entry: ParsedTarEntryWithData): string {
  return new TextDecoder().decode(entry.data);
}

export function withText(entry: ParsedTarEntryWithData, text: string): ParsedTarEntryWithData {
  return { ...entry, data: new TextEncoder().encode(text) };
}
