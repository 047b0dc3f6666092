/**
 * A small RFC 4180 reader for the enrollment import. Hand-written rather than a library: an import
 * has a header and at most a thousand short rows, which this does in one pass, and the worker's
 * bundle stays as it is.
 *
 * RFC 4180 with the usual leniencies: CRLF, LF or CR line ends; a field in double quotes may hold
 * commas, line breaks and doubled quotes (`""` is one `"`); a quote inside an unquoted field is
 * kept as it is; a leading UTF-8 byte order mark is dropped; empty lines are skipped.
 */

export interface CsvRecord {
  /** The line of the file the record starts on, from 1 (a quoted field may span lines). */
  readonly line: number;
  readonly fields: readonly string[];
}

/** A file that cannot be read as CSV at all (not a bad row: a bad row is the row's failure). */
export class CsvSyntaxError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

export interface CsvLimits {
  /** Stop once more than this many records were read: the caller refuses the file anyway. */
  readonly maxRecords: number;
}

/**
 * The file's records in order. Throws `CsvSyntaxError` for a quoted field that never closes or
 * text after a closing quote (`"a"b`): from there on, no row's boundaries can be trusted.
 * Reads at most `maxRecords + 1` records, so that the caller can tell that there were too many.
 */
export function parseCsv(text: string, limits: CsvLimits): CsvRecord[] {
  const records: CsvRecord[] = [];
  let at = text.startsWith("\uFEFF") ? 1 : 0;
  let line = 1;
  while (at < text.length && records.length <= limits.maxRecords) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = "";
      if (text[at] === '"') {
        at += 1;
        for (;;) {
          if (at >= text.length)
            throw new CsvSyntaxError(`A quoted field opened on line ${startLine} never closes.`, line);
          const char = text[at];
          if (char === '"') {
            if (text[at + 1] === '"') {
              field += '"';
              at += 2;
              continue;
            }
            at += 1;
            break;
          }
          if (char === "\n" || (char === "\r" && text[at + 1] !== "\n")) line += 1;
          field += char;
          at += 1;
        }
        const next = text[at];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new CsvSyntaxError(
            `Line ${line}: text after a closing quote (a quote inside a quoted field is "").`,
            line,
          );
        }
      } else {
        const end = nextDelimiter(text, at);
        field = text.slice(at, end);
        at = end;
      }
      fields.push(field);
      const delimiter = text[at];
      if (delimiter === ",") {
        at += 1;
      } else {
        at += delimiter === "\r" && text[at + 1] === "\n" ? 2 : delimiter === undefined ? 0 : 1;
        if (delimiter !== undefined) line += 1;
        endOfRecord = true;
      }
    }
    // An empty line is a record of one empty field: nothing to import, not a row to report.
    if (fields.length > 1 || fields[0] !== "") records.push({ line: startLine, fields });
  }
  return records;
}

/** Where an unquoted field ends: the next comma or line end, or the end of the text. */
function nextDelimiter(text: string, from: number): number {
  for (let at = from; at < text.length; at += 1) {
    const char = text[at];
    if (char === "," || char === "\n" || char === "\r") return at;
  }
  return text.length;
}
