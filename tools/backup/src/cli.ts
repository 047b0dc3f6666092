import { BackupError } from "./errors.ts";

/** DATABASE_URL, or a usage message and exit 2. */
export function databaseUrlOrExit(what: string): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`Set DATABASE_URL to the PostgreSQL to ${what}.`);
    process.exit(2);
  }
  return url;
}

/**
 * Prints a failure as one message and exits 1. Unexpected errors print their message too (no
 * stack): pg's and zlib's never hold the connection's password.
 */
export function failAndExit(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof BackupError ? message : `Failed: ${message}`);
  process.exit(1);
}
