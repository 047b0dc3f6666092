/**
 * Signed media links: what lets a `<video>`, `<track>` or download link fetch private course media,
 * which cannot send an `Authorization` header. The MAC is HMAC-SHA256 under `MEDIA_URL_SECRET` over
 * a label, the object key, the user the link was made for and its expiry (Unix seconds); the user
 * and the expiry travel in the clear beside it, so nothing in the link can be changed (another key,
 * another user, a later expiry) without the MAC failing. The label keeps these MACs from meaning
 * anything to the platform's other HMACs, should a secret ever be shared by mistake.
 *
 * `MEDIA_URL_SECRET` holds one or more secrets, comma-separated, each at least 32 characters. The
 * FIRST signs; every one verifies. Rotation: prepend a new secret, wait out a link's lifetime
 * (media-links.ts), then drop the old one.
 */

/** HMAC-SHA256 wants at least its output's 32 bytes of key. */
export const MIN_SECRET_LENGTH = 32;
/** More secrets than a rotation ever holds at once are refused: each is tried on every forged link. */
const MAX_SECRETS = 4;
/** How far the isolate that checks a link may lag the one that signed it. */
const CLOCK_SLACK_SECONDS = 5;
const MAC_LABEL = "edge-learning media url v1";
const MAC_BYTES = 32;
const encoder = new TextEncoder();

export interface MediaLinkClaims {
  /** The R2 key, `courses/<courseId>/…`: the course is part of what is signed. */
  readonly objectKey: string;
  readonly userId: string;
  /** Unix seconds; the link works until then (exclusive). */
  readonly expires: number;
}

export type MediaLinkCheck =
  | { readonly ok: true; readonly claims: MediaLinkClaims }
  | { readonly ok: false; readonly reason: "forged" | "expired" };

/** A missing, short or over-long `MEDIA_URL_SECRET`: a configuration error, never the caller's. */
export class MediaSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MediaSecretError";
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/** One imported key per secret, kept for the isolate's life (importing costs more than the MAC). */
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_SECRETS * 2) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** The secrets of the setting, the signing one first. */
export function secretsOf(setting: string | undefined): readonly string[] {
  const secrets = (setting ?? "")
    .split(",")
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
  if (secrets.length === 0) throw new MediaSecretError("MEDIA_URL_SECRET is not set.");
  if (secrets.length > MAX_SECRETS) {
    throw new MediaSecretError(`MEDIA_URL_SECRET holds ${secrets.length} secrets; at most ${MAX_SECRETS}.`);
  }
  secrets.forEach((secret, index) => {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new MediaSecretError(
        `MEDIA_URL_SECRET (secret ${index + 1}) must be at least ${MIN_SECRET_LENGTH} characters.`,
      );
    }
  });
  return secrets;
}

// The NUL separators keep (key, user, expiry) triples from colliding as one string; a stored key
// never holds a NUL (the routes refuse text PostgreSQL cannot store).
const macInput = ({ objectKey, userId, expires }: MediaLinkClaims) =>
  encoder.encode(`${MAC_LABEL}\u0000${objectKey}\u0000${userId}\u0000${expires}`);

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

/** The link's signature (base64url), under the first secret of the setting. */
export async function signMediaLink(setting: string | undefined, claims: MediaLinkClaims): Promise<string> {
  const [signing = ""] = secretsOf(setting);
  const mac = await crypto.subtle.sign("HMAC", await keyFor(signing), macInput(claims));
  return base64url(new Uint8Array(mac));
}

/**
 * Checks the MAC first, under each secret (in constant time, by WebCrypto's verify), then the
 * expiry: nothing in a link is believed until a secret says this service wrote it, so a made-up
 * link is "forged" whatever its expiry. A genuine link that claims to live longer than
 * `maxLifetimeSeconds` is refused as forged too: no link this service signs does.
 */
export async function verifyMediaLink(
  setting: string | undefined,
  claims: MediaLinkClaims,
  signature: string,
  nowSeconds: number,
  maxLifetimeSeconds: number,
): Promise<MediaLinkCheck> {
  const secrets = secretsOf(setting);
  const mac = fromBase64url(signature);
  if (!mac || mac.byteLength !== MAC_BYTES) return { ok: false, reason: "forged" };
  const input = macInput(claims);
  let genuine = false;
  for (const secret of secrets) {
    if (await crypto.subtle.verify("HMAC", await keyFor(secret), mac, input)) genuine = true;
  }
  if (!genuine) return { ok: false, reason: "forged" };
  if (claims.expires > nowSeconds + maxLifetimeSeconds + CLOCK_SLACK_SECONDS) return { ok: false, reason: "forged" };
  if (claims.expires <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
