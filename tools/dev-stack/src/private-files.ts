import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";

/**
 * Folders and files that hold secrets (signing keys, webhook secrets, DATABASE_URL with its
 * password): readable by this user only. `mkdirSync`'s and `writeFileSync`'s `mode` apply only
 * when they create the path, so a folder or file left by an older run is tightened explicitly.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** Tightens an existing file before writing, so the new secret is never in a world-readable file. */
export function writePrivateFile(path: string, text: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
  writeFileSync(path, text, { mode: 0o600 });
}
