import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { createTarDecoder, createTarPacker, type ParsedTarEntry } from "modern-tar";
import { BackupError } from "./errors.ts";
import { MANIFEST_ENTRY, parseManifest, type Manifest } from "./manifest.ts";

/** A file to put in the archive under `name`, read from `path` on disk. */
export interface ArchiveFile {
  readonly name: string;
  readonly path: string;
}

/**
 * Writes the backup archive (see manifest.ts): manifest first, then the files in the given order,
 * tar'd and gzip'd. It is written beside `file` and renamed into place only when complete, so a
 * failed run never leaves something that looks like a backup.
 */
export async function writeArchive(file: string, manifest: Manifest, files: readonly ArchiveFile[]): Promise<void> {
  const partial = `${file}.partial`;
  const { readable, controller } = createTarPacker();
  const written = pipeline(
    Readable.fromWeb(readable as NodeReadableStream<Uint8Array>),
    createGzip({ level: 6 }),
    createWriteStream(partial),
  );
  const adding = (async () => {
    const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    const mtime = new Date(manifest.createdAt);
    await new Blob([manifestBytes])
      .stream()
      .pipeTo(controller.add({ name: MANIFEST_ENTRY, size: manifestBytes.length, mtime }));
    for (const entry of files) {
      const size = statSync(entry.path).size;
      const body = Readable.toWeb(createReadStream(entry.path)) as ReadableStream<Uint8Array>;
      await body.pipeTo(controller.add({ name: entry.name, size, mtime }));
    }
    controller.finalize();
  })().catch((error: unknown) => {
    controller.error(error);
    throw error;
  });
  try {
    await Promise.all([adding, written]);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** An opened backup: its manifest, and the entries after it, one at a time. */
export interface OpenedArchive {
  readonly manifest: Manifest;
  /** The entries after the manifest; each body must be read to its end (or cancelled) before the next. */
  readonly entries: AsyncIterator<ParsedTarEntry>;
  /** Stops reading (after a failure). */
  close(): Promise<void>;
}

/**
 * Opens a backup file and reads its manifest. A missing file, something that is not gzip or tar,
 * or a first entry that is not a valid manifest ends in a BackupError saying so.
 */
export async function openArchive(file: string): Promise<OpenedArchive> {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  if (!statSync(file).isFile()) throw new BackupError(`${file} is not a file.`);
  const gunzip = createGunzip();
  const source = createReadStream(file);
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoded = (Readable.toWeb(gunzip) as ReadableStream<Uint8Array>).pipeThrough(
    createTarDecoder({ strict: true }),
  );
  const entries = decoded[Symbol.asyncIterator]();
  const close = async () => {
    await entries.return?.();
    source.destroy();
    gunzip.destroy();
  };
  try {
    const first = await entries.next();
    if (first.done || first.value.header.name !== MANIFEST_ENTRY) {
      throw new BackupError(`${file} is not a backup: it does not start with ${MANIFEST_ENTRY}.`);
    }
    const manifest = parseManifest(new Uint8Array(await new Response(first.value.body).arrayBuffer()));
    return { manifest, entries, close };
  } catch (error) {
    await close().catch(() => {});
    throw asArchiveError(file, error);
  }
}

/** zlib's and the tar reader's errors, told as what they mean for the operator. */
export function asArchiveError(file: string, error: unknown): Error {
  if (error instanceof BackupError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BackupError(`${file} is not a readable backup (damaged or not a .tar.gz): ${reason}`, { cause: error });
}
