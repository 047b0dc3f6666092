/**
 * Where to send the visitor after a form: a path on this site only. Anything else (another
 * origin, `//evil.example`, `/\evil.example`, a scheme) falls back, so a link cannot turn the
 * sign-in page into an open redirect.
 */
export function safeReturnTo(value: string | null | undefined, fallback = "/"): string {
  if (!value || !/^\/(?![/\\])[^\s]*$/.test(value)) return fallback;
  return value;
}
