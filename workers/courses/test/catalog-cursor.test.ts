import { describe, expect, it } from "vitest";
import { encodeKeysetCursor } from "@platform/http-kit";
import { decodeCatalogCursor, encodeCatalogCursor } from "../src/catalog-cursor.ts";

/**
 * The catalog's cursor is opaque to clients but read back into SQL: only what `encodeCatalogCursor`
 * wrote may decode, and only for the order it was written for. Each tampered cursor below once
 * passed and failed its query with a 500 (an id that is not a UUID, a year PostgreSQL refuses, text
 * it cannot store); now the route answers 400.
 */
const id = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d";
const publishedAt = "2026-03-01T12:34:56.789Z";
const tampered = (text: string) => btoa(text).replace(/=+$/, "");

describe("the catalog cursor, newest first", () => {
  it("decodes what it encoded", () => {
    const cursor = encodeCatalogCursor({ order: "newest", publishedAt, id });
    expect(decodeCatalogCursor(cursor, "newest")).toEqual({ order: "newest", publishedAt, id });
  });

  it("is the keyset cursor every catalog cursor was before other orders: one a client still holds keeps working", () => {
    const before = encodeKeysetCursor(new Date(publishedAt), id);
    expect(encodeCatalogCursor({ order: "newest", publishedAt, id })).toBe(before);
    expect(decodeCatalogCursor(before, "newest")).toEqual({ order: "newest", publishedAt, id });
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
    expect(decodeCatalogCursor(cursor, "newest")).toBeUndefined();
  });
});

describe("the catalog cursor, ranked (relevance, popular)", () => {
  it.each([
    ["relevance", 0],
    ["relevance", 1],
    ["popular", 0],
    ["popular", 123_456],
  ] as const)("decodes what it encoded: %s, rank %d", (order, rank) => {
    const cursor = encodeCatalogCursor({ order, rank, publishedAt, id });
    expect(decodeCatalogCursor(cursor, order)).toEqual({ order, rank, publishedAt, id });
  });

  it("is refused for another order than the one it was given out for", () => {
    const popular = encodeCatalogCursor({ order: "popular", rank: 3, publishedAt, id });
    const relevance = encodeCatalogCursor({ order: "relevance", rank: 1, publishedAt, id });
    const newest = encodeCatalogCursor({ order: "newest", publishedAt, id });
    expect(decodeCatalogCursor(popular, "relevance")).toBeUndefined();
    expect(decodeCatalogCursor(popular, "newest")).toBeUndefined();
    expect(decodeCatalogCursor(relevance, "popular")).toBeUndefined();
    expect(decodeCatalogCursor(newest, "popular")).toBeUndefined();
    expect(decodeCatalogCursor(newest, "relevance")).toBeUndefined();
  });

  const keyset = encodeKeysetCursor(publishedAt, id);
  it.each([
    ["no rank", `p.${keyset}`],
    ["a negative rank", `p-1.${keyset}`],
    ["a rank with a leading zero", `p01.${keyset}`],
    ["a rank past PostgreSQL's integer", `p2147483648.${keyset}`],
    ["a rank that is not a number", `pNaN.${keyset}`],
    ["an unknown order letter", `x1.${keyset}`],
    ["no keyset after the rank", "p1."],
    ["a tampered keyset after the rank", `p1.${tampered(`2026-02-31T00:00:00.000Z|${id}`)}`],
    ["a NUL after the rank", `p1\u0000.${keyset}`],
  ])("refuses a cursor with %s", (_, cursor) => {
    expect(decodeCatalogCursor(cursor, "popular")).toBeUndefined();
  });

  it("takes the largest rank an integer holds", () => {
    const cursor = `p2147483647.${keyset}`;
    expect(decodeCatalogCursor(cursor, "popular")).toMatchObject({ rank: 2_147_483_647 });
  });
});
