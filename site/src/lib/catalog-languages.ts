/**
 * A course language's name in the visitor's language (`de` → "German" / "Deutsch"), from the
 * runtime's own data (Intl.DisplayNames), so any language a course names gets its name. The code
 * itself, in capitals, when the runtime does not know it.
 */
export function languageName(locale: string, code: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "language", fallback: "none" }).of(code);
    if (name) return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  } catch {
    // Not a tag Intl accepts: the code says enough.
  }
  return code.toUpperCase();
}
