/**
 * Short-lived state that must come back unchanged from the browser (the OpenID sign-in
 * transaction): JSON, base64url, and an HMAC-SHA256 over it. The HMAC key is derived from the
 * token signing secret with a fixed label, so no further secret has to be configured, and
 * rotating the signing keys also invalidates sign-ins in flight (they simply start again).
 */
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function hmacKey(secret: string, label: string): Promise<CryptoKey> {
  const id = `${label}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", encoder.encode(id))
      .then((material) =>
        crypto.subtle.importKey("raw", material, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
      );
    keys.set(id, key);
  }
  return key;
}

export async function sealState(secret: string, label: string, value: object, ttlSeconds: number): Promise<string> {
  const body = base64url(encoder.encode(JSON.stringify({ ...value, exp: Math.floor(Date.now() / 1000) + ttlSeconds })));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret, label), encoder.encode(body));
  return `${body}.${base64url(signature)}`;
}

export async function openState<T extends object>(
  secret: string,
  label: string,
  sealed: string,
): Promise<T | undefined> {
  const [body, signature, extra] = sealed.split(".");
  if (!body || !signature || extra !== undefined) return undefined;
  try {
    const valid = await crypto.subtle.verify(
      "HMAC",
      await hmacKey(secret, label),
      fromBase64url(signature),
      encoder.encode(body),
    );
    if (!valid) return undefined;
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as T & { exp?: unknown };
    if (typeof value.exp !== "number" || value.exp < Math.floor(Date.now() / 1000)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
