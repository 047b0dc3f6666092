/**
 * Refresh tokens are opaque to clients: `rt1.<userId>.<familyId>.<secret>`, where the secret is
 * 256 random bits. The user id routes the token to that user's session store (a Durable Object);
 * only a SHA-256 of the whole token is ever stored, so a database or storage leak yields nothing
 * that can be presented.
 */
const PREFIX = "rt1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedRefreshToken {
  readonly userId: string;
  readonly familyId: string;
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function newRefreshToken(userId: string, familyId: string): string {
  return `${PREFIX}.${userId}.${familyId}.${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/**
 * The token a refresh rotates `token` to: `HMAC(key, token)` as its secret, so presenting the
 * same token twice (two tabs refreshing at once) yields the same successor, while nobody without
 * the key can compute it from a stolen old token. `key` is secret material only the auth worker
 * holds (see `rotationKey`), never stored next to the hashes in the session store.
 */
export async function successorOf(token: string, key: CryptoKey): Promise<string | undefined> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return undefined;
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token));
  return `${PREFIX}.${parsed.userId}.${parsed.familyId}.${base64url(new Uint8Array(mac))}`;
}

const rotationKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC key for `successorOf`, derived (HKDF, its own label) from the worker's signing-key
 * secret so that no further secret has to be configured. A rotated signing key changes it; that
 * only matters to a refresh raced across the rotation, which then counts as a replay.
 */
export function rotationKey(secret: string): Promise<CryptoKey> {
  let key = rotationKeys.get(secret);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
        "deriveKey",
      ]);
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(),
          info: new TextEncoder().encode("refresh-successor/v1"),
        },
        material,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    rotationKeys.set(secret, key);
  }
  return key;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [prefix, userId, familyId, secret] = parts as [string, string, string, string];
  if (prefix !== PREFIX || !UUID.test(userId) || !UUID.test(familyId) || !SECRET.test(secret)) return undefined;
  return { userId, familyId };
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(digest));
}
