import { z } from "@hono/zod-openapi";
import { ProblemError, isStorableText, requireStorableText } from "@platform/http-kit";
import { CsvSyntaxError, parseCsv } from "./csv.ts";

/** The most rows one import takes; a larger file is refused whole (413), to be sent in parts. */
export const MAX_IMPORT_ROWS = 1000;

/** One row as sent: whom to grant access to, and the integrator's reference for the grant. */
export interface ImportRow {
  /** The CSV line the row starts on, or the row's place in a JSON body's `rows` (both from 1). */
  readonly line: number;
  readonly userId?: string;
  readonly email?: string;
  readonly reference?: string;
}

/** A row that names nobody it could: reported `failed` / `invalid_row` with why, and never looked up. */
export interface InvalidRow extends ImportRow {
  readonly invalid: string;
}

export type ParsedRow = ImportRow | InvalidRow;

export const isInvalid = (row: ParsedRow): row is InvalidRow => "invalid" in row;

const rowFields = z.object({
  userId: z.uuid().optional(),
  email: z.email().max(320).optional(),
  reference: z.string().min(1).max(200).optional(),
});

/**
 * Checks one row's fields; what is wrong is the row's failure, not the request's. Exactly one of
 * `userId` and `email` names the person, so a row can never name two people at once.
 */
export function checkRow(line: number, fields: Record<string, unknown>): ParsedRow {
  const echo = echoOf(line, fields);
  const parsed = rowFields.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`);
    return { ...echo, invalid: problems.join("; ") };
  }
  const { userId, email, reference } = parsed.data;
  if ((userId === undefined) === (email === undefined)) {
    return { ...echo, invalid: "Give either a userId or an email (one, not both)." };
  }
  return {
    line,
    ...(userId !== undefined && { userId: userId.toLowerCase() }),
    ...(email !== undefined && { email }),
    ...(reference !== undefined && { reference }),
  };
}

/** What the report repeats of a row as sent, so its sender can find it (bounded: it may be junk). */
function echoOf(line: number, fields: Record<string, unknown>): ImportRow {
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value.slice(0, 320) : undefined);
  const userId = text(fields.userId);
  const email = text(fields.email);
  return { line, ...(userId !== undefined && { userId }), ...(email !== undefined && { email }) };
}

function tooMany(count: string): never {
  throw new ProblemError("payload-too-large", {
    detail: `An import takes at most ${MAX_IMPORT_ROWS} rows; this one has ${count}. Send it in parts.`,
  });
}

/** A JSON body: `{ rows: [...] }`. The shape is the request's; each row's fields are the row's. */
export function rowsFromJson(body: unknown): ParsedRow[] {
  const rows = typeof body === "object" && body !== null && "rows" in body ? body.rows : undefined;
  if (!Array.isArray(rows)) {
    throw new ProblemError("validation-failed", {
      detail: "The body must be { rows: [ { userId | email, reference? } ] }.",
      errors: [{ path: "json.rows", message: "an array of rows is required" }],
    });
  }
  if (rows.length > MAX_IMPORT_ROWS) tooMany(String(rows.length));
  // Text no database can store is a broken file, not a bad row: refused whole, as on every route.
  requireStorableText(rows, "json.rows");
  return rows.map((row: unknown, index) =>
    typeof row === "object" && row !== null && !Array.isArray(row)
      ? checkRow(index + 1, row as Record<string, unknown>)
      : { line: index + 1, invalid: "A row must be an object." },
  );
}

const COLUMNS = { user_id: "userId", email: "email", reference: "reference" } as const;
type Column = keyof typeof COLUMNS;
const isColumn = (name: string): name is Column => Object.hasOwn(COLUMNS, name);

/**
 * A CSV body: a header line naming `user_id` and/or `email` (and optionally `reference`; other
 * columns are ignored, so an export from another system can be sent as it is), then one row per
 * person. Empty cells are absent fields.
 */
export function rowsFromCsv(text: string): ParsedRow[] {
  if (!isStorableText(text)) {
    throw new ProblemError("bad-request", { detail: "The file holds a NUL character: it is not a text CSV." });
  }
  let records;
  try {
    records = parseCsv(text, { maxRecords: MAX_IMPORT_ROWS + 1 });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ProblemError("bad-request", { detail: error.message });
    throw error;
  }
  const [header, ...data] = records;
  const names = (header?.fields ?? []).map((name) => name.trim().toLowerCase());
  const columns = names.map((name) => (isColumn(name) ? COLUMNS[name] : undefined));
  if (!columns.includes("userId") && !columns.includes("email")) {
    throw new ProblemError("bad-request", {
      detail:
        "The CSV has no header line naming its columns: the first line must name user_id and/or email (and optionally reference).",
    });
  }
  const repeated = names.find((name, index) => isColumn(name) && names.indexOf(name) !== index);
  if (repeated) throw new ProblemError("bad-request", { detail: `The header names the column ${repeated} twice.` });
  if (data.length > MAX_IMPORT_ROWS) tooMany("more");
  return data.map(({ line, fields }) => {
    const row: Record<string, string> = {};
    columns.forEach((column, index) => {
      const value = fields[index]?.trim();
      if (column && value) row[column] = value;
    });
    if (fields.length !== names.length) {
      return {
        ...checkRow(line, row),
        invalid: `The line has ${fields.length} fields; the header has ${names.length}.`,
      };
    }
    return checkRow(line, row);
  });
}
