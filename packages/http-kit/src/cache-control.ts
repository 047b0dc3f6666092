/**
 * `Cache-Control` read and rewritten by directive (RFC 9111 §5.2), so that code deciding who may
 * keep an answer never matches substrings (`private` inside `no-transform, x-private-thing`).
 */

/** The directives of a field value, as written (names lower-cased, arguments kept). */
export function cacheDirectives(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((directive) => directive.trim())
    .filter(Boolean)
    .map((directive) => {
      const equals = directive.indexOf("=");
      return equals === -1
        ? directive.toLowerCase()
        : `${directive.slice(0, equals).trim().toLowerCase()}=${directive.slice(equals + 1).trim()}`;
    });
}

/** The directive's name: `max-age` for `max-age=30`. */
export function directiveName(directive: string): string {
  const equals = directive.indexOf("=");
  return equals === -1 ? directive : directive.slice(0, equals);
}

export function hasCacheDirective(value: string | null | undefined, name: string): boolean {
  return cacheDirectives(value).some((directive) => directiveName(directive) === name);
}
