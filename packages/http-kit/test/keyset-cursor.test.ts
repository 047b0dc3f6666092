import { describe, expect, it } from "vitest";
import { decodeKeysetCursor, encodeKeysetCursor } from "../src/index.ts";

/**
 * The shared keyset cursor (catalog, my learning, the notifications inbox): opaque to clients but read
 * back into SQL, so only what `encodeKeysetCursor` wrote may decode.
 */
const id = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d";
const tampered = (text: string) => btoa(text).replace(/=+$/, "");

describe("the keyset cursor", () => {
  it("decodes what it encoded, from a Date", () => {
    const at = new Date("2026-03-01T12:34:56.789Z");
    expect(decodeKeysetCursor(encodeKeysetCursor(at, id))).toEqual({ at: at.toISOString(), id });
  });

  it("keeps PostgreSQL's microseconds given as text", () => {
    const at = "2026-03-01T12:34:56.789123Z";
    expect(decodeKeysetCursor(encodeKeysetCursor(at, id))).toEqual({ at, id });
  });

  it("still reads the plain base64 cursors given out before", () => {
    expect(decodeKeysetCursor(tampered(`2026-03-01T12:34:56.789Z|${id}`))).toEqual({
      at: "2026-03-01T12:34:56.789Z",
      id,
    });
  });

  it("refuses to encode what it could not decode", () => {
    expect(() => encodeKeysetCursor("yesterday", id)).toThrow();
    expect(() => encodeKeysetCursor(new Date(), "not-a-uuid")).toThrow();
  });

  it.each([
    ["not base64", "not a cursor!"],
    ["the empty string", ""],
    ["no separator", tampered("nope")],
    ["an id that is only dashes", tampered(`2026-03-01T12:34:56.789Z|${"-".repeat(36)}`)],
    ["an id in capitals", tampered(`2026-03-01T12:34:56.789Z|${id.toUpperCase()}`)],
    ["a NUL after the id", tampered(`2026-03-01T12:34:56.789Z|${id}\u0000`)],
    ["a NUL in the date", tampered(`2026-03-01T12:34:56.789Z\u0000|${id}`)],
    ["a date Date.parse merely tolerates", tampered(`1|${id}`)],
    ["four fractional digits", tampered(`2026-03-01T12:34:56.7891Z|${id}`)],
    ["an offset instead of Z", tampered(`2026-03-01T12:34:56.789+01:00|${id}`)],
    ["a year past 9999", tampered(`+010000-01-01T00:00:00.000Z|${id}`)],
    ["year zero", tampered(`0000-01-01T00:00:00.000Z|${id}`)],
    ["month 13", tampered(`2026-13-01T00:00:00.000Z|${id}`)],
    ["an impossible day", tampered(`2026-02-31T00:00:00.000Z|${id}`)],
    ["a third part", tampered(`2026-03-01T12:34:56.789Z|${id}|more`)],
  ])("refuses a cursor with %s", (_, cursor) => {
    expect(decodeKeysetCursor(cursor)).toBeUndefined();
  });
});
