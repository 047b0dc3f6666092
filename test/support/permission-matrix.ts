import { expect } from "vitest";

/**
 * Who may call what, as a table: each row a request (method, path, body), each column a caller,
 * each cell the status that caller must get. Every cell is sent, and every mismatch is reported at
 * once (one failure listing them all, with the answer's problem type and detail), instead of the
 * test stopping at the first.
 *
 * It knows nothing of how a request is sent: `send` does that, in-process (test/support/in-process.ts)
 * or over HTTP against the started stack, with whatever identity a caller stands for.
 */
export interface MatrixRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

export interface MatrixRow<Caller extends string> {
  readonly request: MatrixRequest;
  /** The status each caller must get; every caller of the table has one. */
  readonly expect: Readonly<Record<Caller, number>>;
}

export interface MatrixAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export async function expectPermissionMatrix<Caller extends string>(options: {
  readonly callers: readonly Caller[];
  readonly rows: readonly MatrixRow<Caller>[];
  readonly send: (request: MatrixRequest, caller: Caller) => Promise<MatrixAnswer>;
}): Promise<void> {
  const expected: Record<string, Record<string, number>> = {};
  const actual: Record<string, Record<string, number>> = {};
  const mismatches: string[] = [];
  for (const row of options.rows) {
    const label = labelOf(row.request, expected);
    const want: Record<string, number> = {};
    const got: Record<string, number> = {};
    for (const caller of options.callers) {
      const answer = await options.send(row.request, caller);
      want[caller] = row.expect[caller];
      got[caller] = answer.status;
      if (answer.status !== row.expect[caller]) {
        mismatches.push(
          `${label} as ${caller}: expected ${row.expect[caller]}, got ${answer.status}${problemOf(answer.body)}`,
        );
      }
    }
    expected[label] = want;
    actual[label] = got;
  }
  expect(
    actual,
    `${mismatches.length} of the permission matrix's cells differ:\n  ${mismatches.join("\n  ")}\n`,
  ).toEqual(expected);
}

/** `PUT /api/users/{id}/roles {"roles":["admin"]}`, numbered if two rows would read the same. */
function labelOf(request: MatrixRequest, taken: Record<string, unknown>): string {
  const body =
    request.body === undefined ? "" : typeof request.body === "string" ? request.body : JSON.stringify(request.body);
  const base = `${request.method.toUpperCase()} ${request.path}${body ? ` ${body}` : ""}`;
  let label = base;
  for (let copy = 2; label in taken; copy++) label = `${base} (${copy})`;
  return label;
}

function problemOf(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { type, detail } = body as { type?: unknown; detail?: unknown };
  const parts = [type, detail].filter((part) => typeof part === "string");
  return parts.length > 0 ? ` (${parts.join(": ")})` : "";
}
