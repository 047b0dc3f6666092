import { isEventType, type EventType } from "@platform/events";

/**
 * The event feed's cursor: the `seq` of the last event a reader has, in decimal. Documented as
 * opaque so that it may change shape later; today a reader may also start from a seq it noted.
 * `0` (or no cursor) is the start of the feed. Read back into SQL, so only a plain non-negative
 * integer that a JavaScript number holds exactly is accepted; anything else is undefined (400).
 */
export const FEED_START = 0;

const DECIMAL = /^(0|[1-9]\d{0,15})$/;

export function encodeFeedCursor(seq: number): string {
  return String(seq);
}

export function decodeFeedCursor(cursor: string): number | undefined {
  if (!DECIMAL.test(cursor)) return undefined;
  const seq = Number(cursor);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * `types=A,B`: the event types to keep, each from the catalogue, or undefined when one is not.
 * An empty list (`types=`) is refused too: it would match nothing, which is never what was meant.
 */
export function parseFeedTypes(list: string): EventType[] | undefined {
  const names = list.split(",").map((name) => name.trim());
  if (names.some((name) => !isEventType(name))) return undefined;
  return [...new Set(names as EventType[])];
}
