import { isCategory, type Category } from "../preferences/categories.ts";

/**
 * One-click unsubscribe tokens (RFC 8058): `v1.<userId>.<category>.<mac>`, the MAC being HMAC-SHA256 under
 * `UNSUBSCRIBE_SECRET` over a label, the version, the user and the category (base64url). The token names
 * its user and category in the clear because it only ever travels in that user's own mail; what makes it
 * worth anything is the MAC, so it cannot be bent to another user or another category. It does not expire:
 * a mail read a year later must still unsubscribe (RFC 8058 §3.1), and all it can do is turn one
 * category's mail off, which the person can undo in their preferences.
 */

export type UnsubscribeClaims = { readonly userId: string; readonly category: Category };

/** HMAC-SHA256 wants at least its output's 32 bytes of key. */
export const MIN_SECRET_LENGTH = 32;
const VERSION = "v1";
const MAC_LABEL = "edge-learning unsubscribe";
/** Longer than any token issued here (≈ 110 characters); refused before any parsing or hashing. */
const MAX_TOKEN_LENGTH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** Thrown for a missing or short secret, or for a security-category token (those are never issued). */
export class UnsubscribeTokenError extends Error {}

function keyFor(secret: string | undefined): Promise<CryptoKey> {
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    throw new UnsubscribeTokenError(`UNSUBSCRIBE_SECRET must be set to at least ${MIN_SECRET_LENGTH} characters`);
  }
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 4) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

// The NUL separators keep (user, category) pairs from colliding as one string.
const macInput = (userId: string, category: string) =>
  encoder.encode(`${MAC_LABEL}\u0000${VERSION}\u0000${userId}\u0000${category}`);

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export async function issueUnsubscribeToken(
  secret: string | undefined,
  userId: string,
  category: Category,
): Promise<string> {
  if (category === "security") throw new UnsubscribeTokenError("security mail cannot be unsubscribed from");
  if (!UUID.test(userId)) throw new UnsubscribeTokenError(`not a user id: ${userId}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), macInput(userId, category)));
  return `${VERSION}.${userId}.${category}.${base64url(mac)}`;
}

/**
 * The token's user and category when its MAC is right (checked in constant time by WebCrypto's verify),
 * otherwise undefined: a tampered, truncated or other-key token, and any security-category token.
 */
export async function verifyUnsubscribeToken(
  secret: string | undefined,
  token: string,
): Promise<UnsubscribeClaims | undefined> {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [version = "", userId = "", category = "", macText = ""] = parts;
  if (version !== VERSION || !UUID.test(userId) || !isCategory(category) || category === "security") return undefined;
  const mac = fromBase64url(macText);
  if (!mac || mac.byteLength !== 32) return undefined;
  const genuine = await crypto.subtle.verify("HMAC", await keyFor(secret), mac, macInput(userId, category));
  return genuine ? { userId, category } : undefined;
}
