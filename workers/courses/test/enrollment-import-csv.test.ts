import { describe, expect, it } from "vitest";
import { ProblemError } from "@platform/http-kit";
import { CsvSyntaxError, parseCsv } from "../src/enrollment-import/csv.ts";
import { MAX_IMPORT_ROWS, rowsFromCsv, rowsFromJson } from "../src/enrollment-import/rows.ts";

const parse = (text: string) => parseCsv(text, { maxRecords: 100 });
const fieldsOf = (text: string) => parse(text).map((record) => record.fields);

describe("the CSV reader (RFC 4180)", () => {
  it("reads plain fields with CRLF, LF or CR line ends, and skips empty lines", () => {
    expect(fieldsOf("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(fieldsOf("a,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(fieldsOf("a,b\rc,d\r")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(fieldsOf("a\n\n\nb\n\n")).toEqual([["a"], ["b"]]);
  });

  it("keeps empty fields, a trailing one included", () => {
    expect(fieldsOf("a,,c\n,\nx,")).toEqual([
      ["a", "", "c"],
      ["", ""],
      ["x", ""],
    ]);
  });

  it("reads quoted fields holding commas, doubled quotes and line breaks", () => {
    expect(fieldsOf('"Lovelace, Ada","say ""hi""",plain\n"two\r\nlines",""\n')).toEqual([
      ["Lovelace, Ada", 'say "hi"', "plain"],
      ["two\r\nlines", ""],
    ]);
  });

  it("numbers each record by the line it starts on, counting the lines inside quotes", () => {
    const records = parse('h\n"one\nmore"\n\nlast\r\nafter\r\n');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5, 6]);
  });

  it("keeps a quote inside an unquoted field as it is, and drops a leading byte order mark", () => {
    expect(fieldsOf('\uFEFFemail\nsay "hi",x')).toEqual([["email"], ['say "hi"', "x"]]);
  });

  it("refuses a quoted field that never closes, and text after a closing quote", () => {
    expect(() => parse('a\n"never closed,b\nc')).toThrow(CsvSyntaxError);
    expect(() => parse('"a"b,c')).toThrow(/after a closing quote/);
  });

  it("stops reading one record past the limit", () => {
    const text = Array.from({ length: 50 }, (_, index) => `row${index}`).join("\n");
    expect(parseCsv(text, { maxRecords: 3 })).toHaveLength(4);
  });
});

describe("import rows from CSV", () => {
  it("maps the header's columns, ignores other columns and checks each row on its own", () => {
    const rows = rowsFromCsv(
      [
        "Name,EMAIL,reference,user_id",
        '"Lovelace, Ada",ada@example.com,"order ""7"", east",',
        "Bob,,,0193f9c4-0000-7000-8000-000000000001",
        "Both,c@example.com,,0193f9c4-0000-7000-8000-000000000002",
        "Bad,not-an-email,,",
        "Short,d@example.com",
      ].join("\n"),
    );
    expect(rows).toEqual([
      { line: 2, email: "ada@example.com", reference: 'order "7", east' },
      { line: 3, userId: "0193f9c4-0000-7000-8000-000000000001" },
      expect.objectContaining({ line: 4, invalid: expect.stringMatching(/one, not both/) }),
      expect.objectContaining({ line: 5, email: "not-an-email", invalid: expect.stringMatching(/email/) }),
      expect.objectContaining({ line: 6, invalid: "The line has 2 fields; the header has 4." }),
    ]);
  });

  it("refuses a file without a header line, with a repeated column, with a NUL, or with more rows than allowed", () => {
    const status = (text: string) => {
      try {
        rowsFromCsv(text);
        return "read";
      } catch (error) {
        return error instanceof ProblemError ? error.status : "other";
      }
    };
    expect(status("ada@example.com\nbob@example.com\n")).toBe(400);
    expect(status("")).toBe(400);
    expect(status("email,Email\na@example.com,b@example.com")).toBe(400);
    expect(status('email\n"open')).toBe(400);
    expect(status("email\na\u0000@example.com")).toBe(400);
    const rows = (count: number) => Array.from({ length: count }, (_, index) => `p${index}@example.com`);
    expect(status(["email", ...rows(MAX_IMPORT_ROWS)].join("\n"))).toBe("read");
    expect(status(["email", ...rows(MAX_IMPORT_ROWS + 1)].join("\n"))).toBe(413);
  });
});

describe("import rows from JSON", () => {
  it("checks each row on its own and numbers rows from 1", () => {
    expect(rowsFromJson({ rows: [{ email: "a@example.com" }, "nope", {}, { userId: "x" }] })).toEqual([
      { line: 1, email: "a@example.com" },
      { line: 2, invalid: "A row must be an object." },
      expect.objectContaining({ line: 3, invalid: expect.stringMatching(/userId or an email/) }),
      expect.objectContaining({ line: 4, userId: "x", invalid: expect.stringMatching(/userId/) }),
    ]);
  });

  it("refuses a body that is not { rows: [...] } or holds text no database stores (400) and more rows than allowed (413)", () => {
    expect(() => rowsFromJson([{ email: "a@example.com" }])).toThrow(ProblemError);
    expect(() => rowsFromJson({ rows: "a@example.com" })).toThrow(/rows/);
    expect(() => rowsFromJson({ rows: [{ email: "ok@example.com" }, { reference: "a\uD800" }] })).toThrow(
      expect.objectContaining({
        status: 400,
        init: expect.objectContaining({ errors: [expect.objectContaining({ path: "json.rows.1.reference" })] }),
      }),
    );
    const many = { rows: Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ({ email: "a@example.com" })) };
    expect(() => rowsFromJson(many)).toThrow(expect.objectContaining({ status: 413 }));
  });
});
