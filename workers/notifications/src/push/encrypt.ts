import { decodeBase64Url } from "./base64url.ts";
import { AUTH_SECRET_BYTES, P256_POINT_BYTES, importSubscriptionKey } from "./subscription-keys.ts";
import type { PushTarget } from "./types.ts";

/**
 * Web Push message encryption (RFC 8291) in the `aes128gcm` content coding (RFC 8188), on WebCrypto alone so it
 * runs in workerd. Written here rather than taken from npm: the one maintained Workers library
 * (`@block65/webcrypto-web-push`) cannot be given a fixed salt and sender key, so the RFC's own example could
 * not be checked against the code that runs, and its VAPID half refuses the plain-http loopback push services
 * our tests and local stack use. What it does fits in this file.
 *
 * The body is one record: header (salt 16 ‖ rs 4096 ‖ idlen 65 ‖ keyid = our ephemeral public key), then
 * AES-128-GCM over plaintext ‖ 0x02 ‖ zero padding.
 */

const RECORD_SIZE = 4096;
const SALT_BYTES = 16;
const HEADER_BYTES = SALT_BYTES + 4 + 1 + P256_POINT_BYTES;
const TAG_BYTES = 16;
/** 0x02 ends the last (here: only) record; padding zeros may follow it. */
const LAST_RECORD_DELIMITER = 0x02;

/**
 * The most plaintext one message takes: a push service need accept no more than 4096 bytes of body
 * (RFC 8030 §7.2), and the header, the delimiter and the GCM tag come out of that budget.
 */
export const MAX_PLAINTEXT_BYTES = RECORD_SIZE - HEADER_BYTES - TAG_BYTES - 1;

/**
 * Plaintext is padded up to a multiple of this (never past the maximum), so the push service, which sees the
 * length, cannot tell which notice it carries from its size alone.
 */
const DEFAULT_PAD_TO_MULTIPLE_OF = 128;

export class PushEncryptionError extends Error {
  override readonly name = "PushEncryptionError";
}

export interface PushEncryptionOptions {
  /** Tests only: the RFC 8291 §5 example fixes these; otherwise fresh ones per message, as the RFC requires. */
  readonly salt?: Uint8Array<ArrayBuffer>;
  readonly senderKeys?: CryptoKeyPair;
  /** 1: no padding beyond the delimiter. */
  readonly padToMultipleOf?: number;
}

const text = (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(value));

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** HKDF-SHA-256 (RFC 5869), extract and expand in one, `length` bytes. */
async function hkdf(
  salt: Uint8Array<ArrayBuffer>,
  ikm: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, length * 8));
}

function subscriptionBytes(target: Pick<PushTarget, "p256dh" | "auth">) {
  const uaPublic = decodeBase64Url(target.p256dh);
  const authSecret = decodeBase64Url(target.auth);
  if (!uaPublic || uaPublic.length !== P256_POINT_BYTES || uaPublic[0] !== 0x04) {
    throw new PushEncryptionError("the subscription's p256dh is not an uncompressed P-256 point");
  }
  if (!authSecret || authSecret.length !== AUTH_SECRET_BYTES) {
    throw new PushEncryptionError("the subscription's auth secret is not 16 bytes");
  }
  return { uaPublic, authSecret };
}

/** The encrypted body of one push message to this subscription. Throws PushEncryptionError for bad keys or size. */
export async function encryptPushMessage(
  target: Pick<PushTarget, "p256dh" | "auth">,
  plaintext: Uint8Array,
  options: PushEncryptionOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new PushEncryptionError(
      `the message is ${plaintext.length} bytes; one push carries at most ${MAX_PLAINTEXT_BYTES}`,
    );
  }
  const { uaPublic, authSecret } = subscriptionBytes(target);
  let uaKey: CryptoKey;
  try {
    uaKey = await importSubscriptionKey(uaPublic);
  } catch {
    throw new PushEncryptionError("the subscription's p256dh is not a point on P-256");
  }

  const sender =
    options.senderKeys ??
    ((await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair);
  const asPublic = new Uint8Array((await crypto.subtle.exportKey("raw", sender.publicKey)) as ArrayBuffer);
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(SALT_BYTES));

  // RFC 8291 §3.3–3.4: the ECDH secret, mixed with the auth secret and both public keys, is the IKM…
  // Not an object literal in the call: the workers types spell this member `$public`, the runtime reads `public`.
  const ecdh = { name: "ECDH", public: uaKey };
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh, sender.privateKey, 256));
  const keyInfo = concat(text("WebPush: info\0"), uaPublic, asPublic);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  // …from which RFC 8188 §2.2–2.3 derive the content key and the nonce (record 0: the nonce as derived).
  const cek = await hkdf(salt, ikm, text("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, text("Content-Encoding: nonce\0"), 12);

  const multiple = Math.max(1, options.padToMultipleOf ?? DEFAULT_PAD_TO_MULTIPLE_OF);
  const paddedLength = Math.min(Math.ceil((plaintext.length + 1) / multiple) * multiple, MAX_PLAINTEXT_BYTES + 1);
  const record = new Uint8Array(paddedLength);
  record.set(plaintext);
  record[plaintext.length] = LAST_RECORD_DELIMITER;

  const aesKey = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, aesKey, record));

  const header = new Uint8Array(HEADER_BYTES);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(SALT_BYTES, RECORD_SIZE);
  header[SALT_BYTES + 4] = asPublic.length;
  header.set(asPublic, SALT_BYTES + 5);
  return concat(header, ciphertext);
}
