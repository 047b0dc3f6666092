/**
 * How the Kafka bridge hands an integrator's event to the platform: an HTTP POST whose raw body
 * is signed with a shared secret, Stripe-style (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`).
 * The timestamp bounds replay; the HMAC check uses `crypto.subtle.verify`, which compares in
 * constant time. Web Crypto only, so the same code runs in Node (the bridge) and workerd.
 */
// Not `x-platform-*`: the gateway strips that prefix from every client request.
export const INBOUND_SIGNATURE_HEADER = "x-inbound-signature";
export const INBOUND_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) throw new Error("The inbound events secret must be at least 32 characters");
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

const toHex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export async function signInboundBody(secret: string, rawBody: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${nowSeconds}.${rawBody}`));
  return `t=${nowSeconds},v1=${toHex(signature)}`;
}

export type InboundSignatureCheck = { ok: true } | { ok: false; reason: string };

export async function verifyInboundSignature(
  secret: string,
  rawBody: string,
  header: string | null | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = INBOUND_TOLERANCE_SECONDS,
): Promise<InboundSignatureCheck> {
  if (!header) return { ok: false, reason: `missing ${INBOUND_SIGNATURE_HEADER} header` };
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get("t"));
  const signature = fromHex(parts.get("v1") ?? "");
  if (!Number.isSafeInteger(timestamp) || !signature) return { ok: false, reason: "malformed signature header" };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return { ok: false, reason: "signature timestamp outside the tolerance" };
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    encoder.encode(`${timestamp}.${rawBody}`),
  );
  return valid ? { ok: true } : { ok: false, reason: "signature does not match" };
}

/**
 * The integrator's own signature, which the bridge forwards unchanged (a Kafka header of the same
 * name becomes this HTTP header). The bridge's HMAC above only says "this came through the
 * bridge"; anyone who can write the inbound topic gets that. This one says which integrator wrote
 * the event: Ed25519 over `"<t>.<integrator id>.<raw body>"`, made with a private key only the
 * integrator holds; the platform stores the public key, so there is no secret on our side to leak.
 * Format: `id=<integrator uuid>,t=<unix seconds>,ed25519=<base64url signature>`.
 */
export const INTEGRATOR_SIGNATURE_HEADER = "x-integrator-signature";
/**
 * How old an integrator's signature may be. Not 300 s like the bridge's: the integrator signs when
 * it writes to Kafka, and the event may wait on the topic while the bridge or the platform is down.
 * Seven days is Kafka's default retention: nothing older is a delayed delivery. Replays inside the
 * window are harmless, as the event id is the idempotency key.
 */
export const INTEGRATOR_SIGNATURE_MAX_AGE_SECONDS = 7 * 24 * 3600;
/** A clock ahead of ours by more than this is refused. */
export const INTEGRATOR_SIGNATURE_MAX_SKEW_SECONDS = 300;

export interface IntegratorSignature {
  readonly integratorId: string;
  readonly timestamp: number;
  readonly signature: Uint8Array<ArrayBuffer>;
}

const toBase64Url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const integratorMessage = (timestamp: number, integratorId: string, rawBody: string) =>
  encoder.encode(`${timestamp}.${integratorId}.${rawBody}`);

/** What an integrator runs before writing an event to the inbound topic (the private key never leaves it). */
export async function signIntegratorEvent(
  privateKey: CryptoKey,
  integratorId: string,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const signature = await crypto.subtle.sign(
    "Ed25519",
    privateKey,
    integratorMessage(nowSeconds, integratorId, rawBody),
  );
  return `id=${integratorId},t=${nowSeconds},ed25519=${toBase64Url(signature)}`;
}

export function parseIntegratorSignature(
  header: string | null | undefined,
): { ok: true; value: IntegratorSignature } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: `missing ${INTEGRATOR_SIGNATURE_HEADER} header` };
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const integratorId = parts.get("id") ?? "";
  const timestamp = Number(parts.get("t"));
  let signature: Uint8Array<ArrayBuffer> | undefined;
  try {
    signature = fromBase64Url(parts.get("ed25519") ?? "");
  } catch {
    signature = undefined;
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!uuid.test(integratorId) || !Number.isSafeInteger(timestamp) || signature?.length !== 64)
    return { ok: false, reason: `malformed ${INTEGRATOR_SIGNATURE_HEADER} header` };
  return { ok: true, value: { integratorId: integratorId.toLowerCase(), timestamp, signature } };
}

/** An Ed25519 public key as an integrator hands it over (JWK, `kty: "OKP"`, `crv: "Ed25519"`). */
export async function importIntegratorPublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || jwk.d !== undefined)
    throw new Error("not an Ed25519 public key in JWK form");
  return crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, "Ed25519", false, ["verify"]);
}

export async function verifyIntegratorSignature(
  publicKey: CryptoKey,
  signed: IntegratorSignature,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<InboundSignatureCheck> {
  if (signed.timestamp > nowSeconds + INTEGRATOR_SIGNATURE_MAX_SKEW_SECONDS)
    return { ok: false, reason: "integrator signature timestamp is in the future" };
  if (nowSeconds - signed.timestamp > INTEGRATOR_SIGNATURE_MAX_AGE_SECONDS)
    return { ok: false, reason: "integrator signature is too old" };
  const valid = await crypto.subtle.verify(
    "Ed25519",
    publicKey,
    signed.signature,
    integratorMessage(signed.timestamp, signed.integratorId, rawBody),
  );
  return valid ? { ok: true } : { ok: false, reason: "integrator signature does not match" };
}
