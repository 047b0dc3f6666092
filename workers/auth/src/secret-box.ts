/**
 * Encryption at rest for small secrets the auth service must read back (an OpenID provider's
 * client secret): AES-256-GCM with a key from the environment (`OIDC_SECRETS_KEY`, base64 of 32
 * bytes), so a database dump or a read-only SQL session does not give them away.
 *
 * The stored text describes itself, `v1:<iv>:<ciphertext and tag>` (base64url), so a later key
 * or algorithm can be told apart and rotated row by row. The additional data binds a sealed value
 * to its owner (the provider's id): copied onto another row it does not open. A value without the
 * prefix is a secret stored before encryption existed and is read as it is.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keys = new Map<string, Promise<CryptoKey>>();

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The AES key from its base64 (standard or url-safe) text; a missing or malformed key is a configuration error. */
function aesKey(keyText: string | undefined): Promise<CryptoKey> {
  if (!keyText) throw new SecretKeyError("OIDC_SECRETS_KEY is not set.");
  let key = keys.get(keyText);
  if (!key) {
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = fromBase64(keyText.trim());
    } catch {
      throw new SecretKeyError("OIDC_SECRETS_KEY is not base64.");
    }
    if (raw.length !== 32) throw new SecretKeyError("OIDC_SECRETS_KEY must be 32 bytes (base64).");
    key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    keys.set(keyText, key);
  }
  return key;
}

/** Whether a stored value is sealed (as opposed to plain text from before encryption). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}

/** Encrypts `plaintext` for the owner `context` (e.g. the provider's id). */
export async function sealSecret(keyText: string | undefined, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    await aesKey(keyText),
    encoder.encode(plaintext),
  );
  return `${VERSION}:${base64url(iv)}:${base64url(new Uint8Array(sealed))}`;
}

/**
 * The plain text of a stored value: decrypted when sealed (throws if it was altered, belongs to
 * another owner or another key), as it is when it predates encryption.
 */
export async function openSecret(keyText: string | undefined, stored: string, context: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  const [, ivText, sealedText, extra] = stored.split(":");
  if (!ivText || !sealedText || extra !== undefined) throw new Error("A sealed secret is malformed.");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(ivText), additionalData: encoder.encode(context) },
    await aesKey(keyText),
    fromBase64(sealedText),
  );
  return decoder.decode(plain);
}
