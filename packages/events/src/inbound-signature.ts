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
