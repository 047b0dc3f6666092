import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../src/catalog.ts";
import type { Course } from "../src/permissions.ts";

/**
 * The catalog's cursor is opaque to clients but read back into SQL: only what `encodeCursor` wrote
 * may decode. Each tampered cursor below once passed and failed its query with a 500 (an id that
 * is not a UUID, a year PostgreSQL refuses, text it cannot store); now the route answers 400.
 */
const id = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d";
const publishedAt = new Date("2026-03-01T12:34:56.789Z");
const tampered = (text: string) => btoa(text).replace(/=+$/, "");

describe("the catalog cursor", () => {
  it("decodes what it encoded", () => {
    const cursor = encodeCursor({ id, publishedAt } as Course);
    expect(decodeCursor(cursor)).toEqual({ publishedAt: publishedAt.toISOString(), id });
  });

  it.each([
    ["not base64", "not a cursor!"],
    ["no separator", tampered("nope")],
    ["an id that is only dashes", tampered(`2026-03-01T12:34:56.789Z|${"-".repeat(36)}`)],
    ["an id in capitals", tampered(`2026-03-01T12:34:56.789Z|${id.toUpperCase()}`)],
    ["a NUL after the id", tampered(`2026-03-01T12:34:56.789Z|${id}\u0000`)],
    ["a NUL in the date", tampered(`2026-03-01T12:34:56.789Z\u0000|${id}`)],
    ["a date Date.parse merely tolerates", tampered(`1|${id}`)],
    ["a year past 9999", tampered(`+010000-01-01T00:00:00.000Z|${id}`)],
    ["year zero", tampered(`0000-01-01T00:00:00.000Z|${id}`)],
    ["month 13", tampered(`2026-13-01T00:00:00.000Z|${id}`)],
    ["an impossible day", tampered(`2026-02-31T00:00:00.000Z|${id}`)],
    ["a third part", tampered(`2026-03-01T12:34:56.789Z|${id}|more`)],
  ])("refuses a cursor with %s", (_, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
