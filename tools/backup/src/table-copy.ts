import { createHash } from "node:crypto";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { qualified, quoteIdent } from "./catalog.ts";

/** How many bytes and rows passed, and their SHA-256: COPY text ends every row with one newline. */
export interface StreamDigest {
  readonly bytes: number;
  readonly rows: number;
  readonly sha256: string;
}

const NEWLINE = 0x0a;

/** A pass-through that digests what flows through it; `digest()` once the stream has ended. */
export function digesting(): Transform & { digest(): StreamDigest } {
  const hash = createHash("sha256");
  let bytes = 0;
  let rows = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) rows++;
      done(null, chunk);
    },
  });
  let result: StreamDigest | undefined;
  return Object.assign(stream, {
    digest: () => (result ??= { bytes, rows, sha256: hash.digest("hex") }),
  });
}

export interface CopyTarget {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly orderBy: readonly string[];
}

/** The table's rows in COPY text format, always in the same order, so equal rows give equal bytes. */
function selectOrdered(target: CopyTarget): string {
  const columns = target.columns.map(quoteIdent).join(", ");
  const order = target.orderBy.map(quoteIdent).join(", ");
  return `copy (select ${columns} from ${qualified(target.schema, target.table)} order by ${order}) to stdout`;
}

/** Writes the table's rows to `sink` (or nowhere) and answers their digest. */
export async function dumpTable(client: pg.ClientBase, target: CopyTarget, sink?: Writable): Promise<StreamDigest> {
  const digest = digesting();
  const source: Readable = client.query(copyTo(selectOrdered(target)));
  await pipeline(source, digest, sink ?? discard());
  return digest.digest();
}

/** Loads COPY text from `source` into the table and answers the digest of what was read. */
export async function loadTable(client: pg.ClientBase, target: CopyTarget, source: Readable): Promise<StreamDigest> {
  const digest = digesting();
  const columns = target.columns.map(quoteIdent).join(", ");
  const sink = client.query(copyFrom(`copy ${qualified(target.schema, target.table)} (${columns}) from stdin`));
  await pipeline(source, digest, sink);
  return digest.digest();
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
