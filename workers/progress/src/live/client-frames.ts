import { LIVE_CLOSE_CODES, LIVE_LIMITS, type LiveClientFrame } from "@platform/contracts";

/** A client frame read: the frame, or why its socket is closed (and with which code). */
export type ClientFrameVerdict =
  | { readonly ok: true; readonly frame: LiveClientFrame }
  | { readonly ok: false; readonly code: number; readonly reason: string };

const refuse = (code: number, reason: string): ClientFrameVerdict => ({ ok: false, code, reason });

/** UTF-8 length without encoding more than the limit allows: a UTF-16 unit is 1 to 3 bytes. */
function tooLong(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return new TextEncoder().encode(text).byteLength > limit;
}

/**
 * Judges one frame from a client (pings never get here: the runtime answers them). The protocol is small JSON
 * text; anything else means a broken or hostile client, and only its own socket pays for it.
 */
export function readClientFrame(message: string | ArrayBuffer): ClientFrameVerdict {
  if (typeof message !== "string") return refuse(LIVE_CLOSE_CODES.unsupportedData, "binary frames are not accepted");
  if (tooLong(message, LIVE_LIMITS.clientFrameBytes)) {
    return refuse(LIVE_CLOSE_CODES.messageTooBig, `frames are at most ${LIVE_LIMITS.clientFrameBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return refuse(LIVE_CLOSE_CODES.policyViolation, "frames are JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse(LIVE_CLOSE_CODES.policyViolation, "frames are JSON objects");
  }
  const { kind, after } = value as { kind?: unknown; after?: unknown };
  if (kind !== "resume") return refuse(LIVE_CLOSE_CODES.policyViolation, "unknown frame kind");
  if (!isSequenceNumber(after)) return refuse(LIVE_CLOSE_CODES.policyViolation, "after is a sequence number");
  return { ok: true, frame: { kind, after } };
}

/** 0 (nothing seen yet) or a positive safe integer. */
export function isSequenceNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
