/** The languages the templates are written in; any other locale gets English. */
export type Language = "en" | "de";

export interface ResolvedLocale {
  /** Which copy to use. */
  readonly language: Language;
  /**
   * Which locale to format dates and money in: the person's own tag when it is in the chosen language
   * (`de-CH` writes `CHF 1’234.50`, `en-GB` puts the day first), else the language itself.
   */
  readonly formatLocale: string;
}

function canonical(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    // Profiles store what people chose; a malformed tag must not make their mail unrenderable.
    return null;
  }
}

/** `de`, `de-CH`, `de-AT` (any German) → German; everything else, including nonsense, → English. */
export function resolveLocale(tag: string): ResolvedLocale {
  const locale = canonical(tag.trim());
  if (!locale) return { language: "en", formatLocale: "en" };
  const language: Language = locale.split("-")[0]?.toLowerCase() === "de" ? "de" : "en";
  const sameLanguage = locale.split("-")[0]?.toLowerCase() === language;
  return { language, formatLocale: sameLanguage ? locale : language };
}
