/**
 * base64url (RFC 4648 §5) as Web Push uses it everywhere: subscription keys, the VAPID public key, the JWT.
 * Written against `atob`/`btoa` so it runs the same in workerd and Node.
 */

/** Unpadded base64url, or with its `=` padding; nothing else (no `+`, `/`, spaces or line breaks). */
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** The bytes, or null when the text is not base64url (a stray character, an impossible length). */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  // One character left over carries 6 bits, less than a byte: no encoder writes that.
  if (unpadded.length % 4 === 1) return null;
  const standard = unpadded.replaceAll("-", "+").replaceAll("_", "/");
  let binary: string;
  try {
    binary = atob(standard + "=".repeat((4 - (standard.length % 4)) % 4));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
