import { describe, expect, it } from "vitest";
import { foldForSearch, foldedWords, prefixQuery, searchWords } from "../src/search-words.ts";

/**
 * The folding both sides of the catalog's search go through (the stored title and summary, and a
 * search's words): a search matches however either was written.
 */
describe("folding a text for search", () => {
  it.each([
    ["PostgreSQL", "postgresql"],
    ["Café", "cafe"],
    ["Über", "uber"],
    ["naïve façade", "naive facade"],
    ["Ｐｏｓｔｇｒｅｓ", "postgres"],
    ["ﬁle", "file"],
    ["Straße", "strasse"],
    ["STRAẞE", "strasse"],
    ["Œuvre", "oeuvre"],
    ["Łódź", "lodz"],
    ["Ærø", "aero"],
    ["Þór", "thor"],
    ["İstanbul", "istanbul"],
    ["Ελληνικά", "ελληνικα"],
    ["Node.js & C++: a how-to", "node js c a how to"],
    ["  PostgreSQL 17 — tips  ", "postgresql 17 tips"],
  ])("%j → %j", (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it("has nothing left of punctuation, spaces and symbols alone", () => {
    expect(foldedWords("!!! --- ### 🎉")).toEqual([]);
  });

  it("keeps words in order, repeats and all, for the stored columns", () => {
    expect(foldedWords("to be or not to be")).toEqual(["to", "be", "or", "not", "to", "be"]);
  });
});

describe("a search's words", () => {
  it("are folded, each once, in a stable order (the cache key of a page)", () => {
    expect(searchWords("Postgres  café POSTGRES")).toEqual(["cafe", "postgres"]);
    expect(searchWords("cafe postgres")).toEqual(searchWords("Postgres Café"));
  });

  it("make a prefix query that asks for every word, in the title only with weight A", () => {
    expect(prefixQuery(["cafe", "postgres"])).toBe("cafe:* & postgres:*");
    expect(prefixQuery(["cafe", "postgres"], "A")).toBe("cafe:*A & postgres:*A");
  });

  it("cannot carry a tsquery operator into the query: only letters and digits survive", () => {
    const words = searchWords("a:* | !b & (c) <-> 'd' \\e");
    expect(words).toEqual(["a", "b", "c", "d", "e"]);
    for (const word of words) expect(word).toMatch(/^[\p{L}\p{N}]+$/u);
  });
});
