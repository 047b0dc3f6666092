/**
 * Catalog search finds words however they are written: case, accents and compatibility forms fold
 * away ("Café" → "cafe", "Über" → "uber", "ＡＰＩ" → "api", "ﬁle" → "file"), a few letters that
 * Unicode does not decompose are spelled out ("Straße" → "strasse", "Œuvre" → "oeuvre", "Łódź" →
 * "lodz"), and anything that is not a letter or digit separates words ("Node.js" → "node js").
 *
 * The same folding runs on both sides, in JavaScript and not in SQL: when a course's title and
 * summary are written (stored folded beside them, courses.ts and the backfill) and on the search's
 * words (catalog.ts). SQL's `lower()` and `unaccent` depend on the database's locale and on an
 * extension; this does not, so a search matches the same on the embedded PostgreSQL, in CI and on Neon.
 */

/** Letters with no Unicode decomposition to a base letter, as they are usually spelled in ASCII. */
const SPELLED_OUT: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

const NOT_DECOMPOSED = new RegExp(`[${Object.keys(SPELLED_OUT).join("")}]`, "g");

/** The folded words of a text, in order (repeats kept). */
export function foldedWords(text: string): string[] {
  return (
    text
      // Compatibility decomposition: accents split off their letters, ligatures and full-width forms to plain letters.
      .normalize("NFKD")
      // The accents (non-spacing marks) go.
      .replace(/\p{Mn}/gu, "")
      .toLowerCase()
      .replace(NOT_DECOMPOSED, (letter) => SPELLED_OUT[letter] ?? letter)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== "")
  );
}

/** A text folded for the search columns: its folded words, one space apart. */
export const foldForSearch = (text: string): string => foldedWords(text).join(" ");

/**
 * The words a search asks for: folded, each once, in a stable order (a search for "b a" is a search
 * for "a b": every word must match, so the order does not matter, and the catalog cache shares
 * their page).
 */
export function searchWords(query: string): string[] {
  return [...new Set(foldedWords(query))].sort();
}

/**
 * A `to_tsquery` text: every word as a prefix (`postgres:*` matches "postgresql"), all of them
 * required. With `weight` "A", only words in the title match (the title is weighted A, the summary
 * B: db/search-document.ts). The words hold only letters and digits, so none of tsquery's operators
 * can reach the query through them.
 */
export function prefixQuery(words: readonly string[], weight: "" | "A" = ""): string {
  return words.map((word) => `${word}:*${weight}`).join(" & ");
}
