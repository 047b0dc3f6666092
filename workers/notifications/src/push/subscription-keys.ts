import { decodeBase64Url } from "./base64url.ts";

/**
 * A browser subscription's keys (RFC 8291 §3.2): `p256dh`, its P-256 ECDH public key as an uncompressed point
 * (65 bytes, 0x04 ‖ x ‖ y), and `auth`, the 16-byte secret it shares with us. Checked when a subscription is
 * stored, so a delivery never meets a key it cannot encrypt to.
 */
export const P256_POINT_BYTES = 65;
export const AUTH_SECRET_BYTES = 16;

const ECDH_P256 = { name: "ECDH", namedCurve: "P-256" } as const;

/** Why this is not a usable p256dh key, or null when it is one (a point on P-256). */
export async function p256dhProblem(text: string): Promise<string | null> {
  const bytes = decodeBase64Url(text);
  if (!bytes) return "is not base64url";
  if (bytes.length !== P256_POINT_BYTES || bytes[0] !== 0x04) {
    return `must be an uncompressed P-256 point: ${P256_POINT_BYTES} bytes starting 0x04 (got ${bytes.length} bytes)`;
  }
  // Importing checks the point lies on the curve: 65 well-formed bytes can still be no key at all.
  try {
    await importSubscriptionKey(bytes);
  } catch {
    return "is not a point on P-256";
  }
  return null;
}

/** Why this is not a usable auth secret, or null. */
export function authProblem(text: string): string | null {
  const bytes = decodeBase64Url(text);
  if (!bytes) return "is not base64url";
  if (bytes.length !== AUTH_SECRET_BYTES) {
    return `must be ${AUTH_SECRET_BYTES} bytes (got ${bytes.length})`;
  }
  return null;
}

export function importSubscriptionKey(point: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", point, ECDH_P256, true, []);
}
