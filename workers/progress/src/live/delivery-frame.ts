import { LIVE_LIMITS, type LiveDeliveryFrame, type LiveMessage } from "@platform/contracts";

/**
 * The frame a published message goes out as, JSON text, stamped with its sequence number and time. Refuses what
 * is not a message (no `type`) and what is too large for one: a live message says what changed, and a device
 * that wants more reads it from the REST API.
 */
export function deliveryFrame(seq: number, at: Date, message: LiveMessage): string {
  if (typeof message !== "object" || message === null || typeof message.type !== "string" || !message.type) {
    throw new TypeError("A live message is an object with a non-empty string `type`.");
  }
  const frame = JSON.stringify({ kind: "message", seq, at: at.toISOString(), message } satisfies LiveDeliveryFrame);
  if (new TextEncoder().encode(frame).byteLength > LIVE_LIMITS.messageBytes) {
    throw new RangeError(`A live message is at most ${LIVE_LIMITS.messageBytes} bytes as JSON.`);
  }
  return frame;
}
