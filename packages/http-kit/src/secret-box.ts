/**
 * Encryption at rest for small secrets a worker must read back (an OpenID provider's client secret,
 * a webhook endpoint's signing secret): AES-256-GCM with keys from the environment, so a database
 * dump or a read-only SQL session does not give them away. Each worker names its own setting
 * (`OIDC_SECRETS_KEY`, `WEBHOOK_SECRETS_KEY`); `SecretSetting` carries the name for the messages.
 *
 * The setting holds one or more keys, comma-separated, each base64 of 32 bytes. The FIRST
 * seals; every one opens. Rotation (as with JWT_PRIVATE_KEYS): prepend a new key, and each value
 * sealed with an older key is re-sealed with the new one on its next use; drop the old key once
 * none is left under it.
 *
 * The stored text describes itself, `v2:<kid>:<iv>:<ciphertext and tag>` (base64url), where the
 * kid is a short hash of the key that sealed it, so opening picks the key without trying each and
 * a missing key is named. `v1:<iv>:<ct>` (before key ids) is still read, by trying every key. The
 * additional data binds a sealed value to its owner (the provider's id): copied onto another row
 * it does not open. A value without a prefix is a secret stored before encryption existed and is
 * read as it is.
 */
const VERSION = "v2";
const LEGACY_VERSION = "v1";
const IV_BYTES = 12;
/** Bytes of SHA-256 in a kid: 48 bits tell a handful of keys apart and say nothing of the key. */
const KID_BYTES = 6;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface SecretKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

const keyRings = new Map<string, Promise<readonly SecretKey[]>>();

/** A worker's encryption setting: its name (for messages) and its value (one or more keys, comma-separated). */
export interface SecretSetting {
  readonly name: string;
  readonly value: string | undefined;
}

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

async function importKey(name: string, keyText: string, position: number): Promise<SecretKey> {
  const which = `${name} (key ${position})`;
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(keyText);
  } catch {
    throw new SecretKeyError(`${which} is not base64.`);
  }
  if (raw.length !== 32) throw new SecretKeyError(`${which} must be 32 bytes (base64).`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  return {
    kid: base64url(digest.subarray(0, KID_BYTES)),
    key: await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]),
  };
}

/** The keys, sealing one first, from the setting; a missing or malformed key is a configuration error. */
function keyRing({ name, value: keyText }: SecretSetting): Promise<readonly SecretKey[]> {
  const texts = (keyText ?? "")
    .split(",")
    .map((text) => text.trim())
    .filter((text) => text.length > 0);
  if (texts.length === 0) return Promise.reject(new SecretKeyError(`${name} is not set.`));
  const cacheKey = `${name}=${keyText ?? ""}`;
  let ring = keyRings.get(cacheKey);
  if (!ring) {
    ring = Promise.all(texts.map((text, index) => importKey(name, text, index + 1)));
    // A bad setting is not remembered: it is reported again, and a fixed one is read afresh.
    ring.catch(() => keyRings.delete(cacheKey));
    keyRings.set(cacheKey, ring);
  }
  return ring;
}

/** Whether a stored value is sealed (as opposed to plain text from before encryption). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`) || stored.startsWith(`${LEGACY_VERSION}:`);
}

/**
 * Whether a stored value is sealed with the current (first) key in the current format: when not,
 * its owner re-seals it on its next use (plain text, `v1:`, or an older key's `v2:`).
 */
export async function isSealedWithCurrentKey(setting: SecretSetting, stored: string): Promise<boolean> {
  const [current] = await keyRing(setting);
  return current !== undefined && stored.startsWith(`${VERSION}:${current.kid}:`);
}

/** Encrypts `plaintext` for the owner `context` (e.g. the provider's id) with the first key. */
export async function sealSecret(setting: SecretSetting, plaintext: string, context: string): Promise<string> {
  const [current] = await keyRing(setting);
  if (!current) throw new SecretKeyError(`${setting.name} is not set.`);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    current.key,
    encoder.encode(plaintext),
  );
  return `${VERSION}:${current.kid}:${base64url(iv)}:${base64url(new Uint8Array(sealed))}`;
}

async function decrypt(key: CryptoKey, ivText: string, sealedText: string, context: string): Promise<string> {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(ivText), additionalData: encoder.encode(context) },
    key,
    fromBase64(sealedText),
  );
  return decoder.decode(plain);
}

/**
 * The plain text of a stored value: decrypted when sealed, as it is when it predates encryption.
 * Throws `SecretKeyError` when no configured key can open it (the key that sealed it was dropped,
 * or none is set), and an error when it was altered or belongs to another owner.
 */
export async function openSecret(setting: SecretSetting, stored: string, context: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  const ring = await keyRing(setting);
  const parts = stored.split(":");
  if (parts[0] === VERSION) {
    const [, kid, ivText, sealedText, extra] = parts;
    if (!kid || !ivText || !sealedText || extra !== undefined) throw new Error("A sealed secret is malformed.");
    const key = ring.find((candidate) => candidate.kid === kid);
    if (!key) {
      throw new SecretKeyError(
        `A secret is sealed with key ${kid}, which ${setting.name} no longer holds (it holds ${ring
          .map((candidate) => candidate.kid)
          .join(", ")}).`,
      );
    }
    return decrypt(key.key, ivText, sealedText, context);
  }
  // v1 names no key: whichever configured key opens it (AES-GCM refuses every other one).
  const [, ivText, sealedText, extra] = parts;
  if (!ivText || !sealedText || extra !== undefined) throw new Error("A sealed secret is malformed.");
  for (const candidate of ring) {
    try {
      return await decrypt(candidate.key, ivText, sealedText, context);
    } catch {
      // Not this key (or altered, or another owner's): try the next.
    }
  }
  throw new SecretKeyError(
    `A v1 secret opens with none of the keys in ${setting.name} (sealed with a key no longer held, altered, or another owner's).`,
  );
}
