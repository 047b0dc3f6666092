/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, "Signature scheme"): the signed
 * content is `<webhook-id>.<webhook-timestamp>.<body>`, signed with HMAC-SHA256 under the secret's
 * bytes (the base64 after `whsec_`), sent as `webhook-signature: v1,<base64 signature>`. A receiver
 * verifies with any Standard Webhooks library (`standardwebhooks` on npm) or these few lines.
 */
export const SECRET_PREFIX = "whsec_";
/** 24 random bytes, as Svix draws them: 192 bits. */
const SECRET_BYTES = 24;
const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A fresh endpoint secret, `whsec_<base64>`. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret.slice(SECRET_PREFIX.length)), (char) => char.charCodeAt(0));
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // Bounded: an isolate signs for a handful of endpoints at a time.
    if (keyCache.size > 100) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * The `webhook-signature` header's value for one attempt: one `v1,<signature>` per secret, space-
 * separated (two while a rotated secret's grace lasts; a receiver accepts any one that verifies).
 */
export async function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const content = encoder.encode(`${id}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), content);
      return `v1,${toBase64(new Uint8Array(signature))}`;
    }),
  );
  return signatures.join(" ");
}
