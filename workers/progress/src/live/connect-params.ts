import { LIVE_LIMITS } from "@platform/contracts";
import type { FieldError } from "@platform/http-kit";

/** What a client asks for when it opens its socket: where to resume, and how often it promises to ping. */
export interface ConnectParams {
  /** Replay what came after this number (absent: no replay; the client may still send a `resume` frame). */
  readonly after: number | undefined;
  readonly keepaliveSeconds: number;
}

export type ConnectParamsResult =
  | { readonly ok: true; readonly params: ConnectParams }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const DIGITS = /^\d{1,15}$/;

/**
 * `?after=<seq>&keepalive=<seconds>`, checked before the upgrade so a bad value is a 400 naming the field,
 * not a socket that closes for no reason the client can see. The keepalive is the client's to choose within
 * bounds (as in MQTT): a phone on a metered link pings rarely, a test often.
 */
export function readConnectParams(query: URLSearchParams): ConnectParamsResult {
  const errors: FieldError[] = [];
  const afterText = query.get("after");
  let after: number | undefined;
  if (afterText !== null) {
    if (DIGITS.test(afterText)) after = Number(afterText);
    else errors.push({ path: "query.after", message: "A sequence number: 0 or a positive integer." });
  }
  const { min, max } = LIVE_LIMITS.keepaliveSeconds;
  const keepaliveText = query.get("keepalive");
  let keepaliveSeconds: number = LIVE_LIMITS.keepaliveSeconds.default;
  if (keepaliveText !== null) {
    const seconds = DIGITS.test(keepaliveText) ? Number(keepaliveText) : Number.NaN;
    if (seconds >= min && seconds <= max) keepaliveSeconds = seconds;
    else errors.push({ path: "query.keepalive", message: `Whole seconds from ${min} to ${max}.` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, params: { after, keepaliveSeconds } };
}
