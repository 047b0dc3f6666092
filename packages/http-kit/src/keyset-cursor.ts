import { isStorableText } from "./storable-text.ts";

/**
 * The opaque cursor of a list paged newest first on (instant, uuid): base64url of `<instant>|<uuid>`,
 * the last item's sort instant and id. Opaque to clients, but read back into SQL, so only what
 * `encodeKeysetCursor` could have written decodes: a tampered cursor is refused (the route answers
 * 400) rather than reaching the query as text PostgreSQL cannot store, an id that is not a UUID, or
 * a date outside what a timestamp holds, each of which once failed the query with a 500.
 *
 * The instant keeps PostgreSQL's microseconds when it is given as text (`2026-03-01T12:34:56.789123Z`):
 * a cursor cut to JavaScript's milliseconds would skip the rows whose instant lies within the same
 * millisecond but after it. A `Date` (milliseconds) is fine for instants the application wrote itself.
 */
export interface KeysetPosition {
  /** A UTC ISO 8601 instant, with 3 or 6 fractional digits. */
  readonly at: string;
  readonly id: string;
}

const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeKeysetCursor(at: Date | string, id: string): string {
  const instant = typeof at === "string" ? at : at.toISOString();
  if (!isInstant(instant) || !UUID.test(id)) throw new Error(`not a keyset position: ${instant}|${id}`);
  return btoa(`${instant}|${id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Only a cursor `encodeKeysetCursor` wrote; anything else is `undefined`. Plain base64 is read too:
 * the cursors given out before this codec was shared used it, and a client may still hold one.
 */
export function decodeKeysetCursor(cursor: string): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9+/_-]+$/.test(cursor)) return undefined;
  let decoded: string;
  try {
    decoded = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
  if (!isStorableText(decoded)) return undefined;
  const [at, id, ...rest] = decoded.split("|");
  if (!at || !id || rest.length > 0 || !UUID.test(id) || !isInstant(at)) return undefined;
  return { at, id };
}

/**
 * Exactly what `toISOString` writes for a real instant (microseconds allowed), not whatever `Date.parse`
 * tolerates ("1", trailing bytes) nor a year PostgreSQL would refuse (`+010000`, year 0), nor 31 February.
 */
function isInstant(text: string): boolean {
  if (!ISO_INSTANT.test(text)) return false;
  const milliseconds = `${text.slice(0, 23)}Z`;
  const parsed = new Date(milliseconds);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === milliseconds;
}
