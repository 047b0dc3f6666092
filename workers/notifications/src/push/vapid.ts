import { SignJWT, importJWK, type JWK } from "jose";
import type { NotificationsBindings } from "../env.ts";
import { decodeBase64Url, encodeBase64Url } from "./base64url.ts";

/**
 * VAPID (RFC 8292): every push request carries a JWT signed with our ES256 key, and that key's public half, so
 * a push service can tell our messages apart from anyone else's. Browsers bind a subscription to the public key
 * it was made with (`applicationServerKey`), which is why the site fetches it from us.
 */
export interface VapidKeys {
  /** The uncompressed P-256 point (0x04 ‖ x ‖ y), base64url: what the browser's `applicationServerKey` takes. */
  readonly publicKey: string;
  readonly privateKey: CryptoKey;
  /** The JWT's `sub`: a contact for the push service's operators (`mailto:` or `https:`). */
  readonly subject: string;
}

export type VapidSettings = Pick<NotificationsBindings, "VAPID_PRIVATE_KEY" | "VAPID_SUBJECT" | "PUBLIC_ORIGIN">;

/** RFC 8292 §2: `exp` no more than 24 hours ahead. Twelve leaves room for a push service's clock. */
const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** One import per isolate and key: the secret does not change while a worker runs. */
const cache = new Map<string, Promise<VapidKeys>>();

/** The VAPID keys from `VAPID_PRIVATE_KEY`, or null when Web Push is not configured. Throws on a malformed key. */
export function loadVapidKeys(env: VapidSettings): Promise<VapidKeys | null> {
  const secret = env.VAPID_PRIVATE_KEY?.trim();
  if (!secret) return Promise.resolve(null);
  const subject = vapidSubject(env);
  const cacheKey = `${subject}\n${secret}`;
  let keys = cache.get(cacheKey);
  if (!keys) {
    keys = parse(secret, subject);
    // A bad key fails every time it is loaded, not once and then never again from a cached rejection.
    keys.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, keys);
  }
  return keys;
}

function vapidSubject(env: VapidSettings): string {
  const configured = env.VAPID_SUBJECT?.trim();
  if (configured) return configured;
  let host = "localhost";
  try {
    if (env.PUBLIC_ORIGIN) host = new URL(env.PUBLIC_ORIGIN).hostname;
  } catch {
    // A malformed origin is reported where links are built; the subject is only a contact.
  }
  return `mailto:no-reply@${host}`;
}

function isPrivateP256Jwk(value: unknown): value is JWK & { x: string; y: string; d: string } {
  if (typeof value !== "object" || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === "EC" &&
    jwk.crv === "P-256" &&
    typeof jwk.x === "string" &&
    typeof jwk.y === "string" &&
    typeof jwk.d === "string"
  );
}

async function parse(secret: string, subject: string): Promise<VapidKeys> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(secret);
  } catch {
    throw new Error("VAPID_PRIVATE_KEY is not valid JSON (an ES256 private JWK is expected)");
  }
  if (!isPrivateP256Jwk(jwk))
    throw new Error("VAPID_PRIVATE_KEY must be a P-256 private JWK (kty EC, crv P-256, x, y, d)");
  const x = decodeBase64Url(jwk.x);
  const y = decodeBase64Url(jwk.y);
  if (!x || !y || x.length !== 32 || y.length !== 32) throw new Error("VAPID_PRIVATE_KEY has a malformed x or y");
  const privateKey = await importJWK({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d }, "ES256");
  if (privateKey instanceof Uint8Array) throw new Error("VAPID_PRIVATE_KEY did not import as an EC key");
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  return { publicKey: encodeBase64Url(point), privateKey, subject };
}

/**
 * The `Authorization` header of a push request to this endpoint (RFC 8292 §3): `vapid t=<JWT>, k=<public key>`,
 * the JWT's audience being the endpoint's origin.
 */
export async function vapidAuthorization(vapid: VapidKeys, endpoint: string, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ typ: "JWT", alg: "ES256" })
    .setAudience(new URL(endpoint).origin)
    .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
    .setSubject(vapid.subject)
    .sign(vapid.privateKey);
  return `vapid t=${token}, k=${vapid.publicKey}`;
}
