/**
 * Live tickets: what lets a browser open the learner's WebSocket without putting an access token in a URL.
 * The gateway issues one to a signed-in caller and checks it on the upgrade, before any object is reached:
 * `v1.<payload>.<mac>`, where the payload is base64url JSON `{ sub, exp, nonce }` and the MAC is HMAC-SHA256
 * under `LIVE_TICKET_SECRET` over a label and the payload (the label keeps these MACs from meaning anything
 * anywhere else). It is a bearer credential for ≤ 60 s and one socket: single use is enforced by the learner's
 * LiveHub, which remembers the nonces it has spent (docs/live.md).
 */

export interface LiveTicketClaims {
  /** The learner's user id. */
  readonly sub: string;
  /** Expiry, Unix seconds. */
  readonly exp: number;
  /** 128 random bits, base64url: what the hub spends. */
  readonly nonce: string;
}

export type TicketCheck =
  | { readonly ok: true; readonly claims: LiveTicketClaims }
  | { readonly ok: false; readonly reason: "malformed" | "forged" | "expired" };

/** A secret shorter than this is refused: HMAC-SHA256 wants at least its output's 32 bytes of key. */
export const MIN_SECRET_LENGTH = 32;
/** Longer than any ticket this code issues (about 200 characters); checked before any parsing or hashing. */
const MAX_TICKET_LENGTH = 512;
/** How far the isolate that checks a ticket may lag the one that issued it. */
const CLOCK_SLACK_SECONDS = 5;
const VERSION = "v1";
const MAC_LABEL = "edge-learning live ticket v1.";
const encoder = new TextEncoder();

const keys = new Map<string, Promise<CryptoKey>>();

/** One imported key per secret, kept for the isolate's life (importing costs more than the MAC). */
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 4) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const macInput = (payload: string) => encoder.encode(`${MAC_LABEL}${payload}`);

export async function issueTicket(
  secret: string,
  userId: string,
  nowSeconds: number,
  lifetimeSeconds: number,
): Promise<{ ticket: string; claims: LiveTicketClaims }> {
  const claims: LiveTicketClaims = {
    sub: userId,
    exp: nowSeconds + lifetimeSeconds,
    nonce: base64url(crypto.getRandomValues(new Uint8Array(16))),
  };
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), macInput(payload)));
  return { ticket: `${VERSION}.${payload}.${base64url(mac)}`, claims };
}

/**
 * Checks the MAC first (in constant time, by WebCrypto's verify), then the claims: nothing in a ticket is
 * believed, not even its shape, until the MAC says the gateway wrote it. A ticket that claims to live longer
 * than `maxLifetimeSeconds` is refused as well, whatever its MAC.
 */
export async function verifyTicket(
  secret: string,
  ticket: string,
  nowSeconds: number,
  maxLifetimeSeconds: number,
): Promise<TicketCheck> {
  if (ticket.length > MAX_TICKET_LENGTH) return { ok: false, reason: "malformed" };
  const parts = ticket.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: "malformed" };
  const [, payload = "", macText = ""] = parts;
  const mac = fromBase64url(macText);
  if (!mac || mac.byteLength !== 32) return { ok: false, reason: "malformed" };
  const genuine = await crypto.subtle.verify("HMAC", await keyFor(secret), mac, macInput(payload));
  if (!genuine) return { ok: false, reason: "forged" };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: "malformed" };
  if (claims.exp <= nowSeconds) return { ok: false, reason: "expired" };
  if (claims.exp > nowSeconds + maxLifetimeSeconds + CLOCK_SLACK_SECONDS) return { ok: false, reason: "malformed" };
  return { ok: true, claims };
}

function parseClaims(payload: string): LiveTicketClaims | undefined {
  const bytes = fromBase64url(payload);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) as Record<
      string,
      unknown
    >;
    const { sub, exp, nonce } = value;
    if (typeof sub !== "string" || sub === "" || typeof nonce !== "string" || nonce === "") return undefined;
    if (typeof exp !== "number" || !Number.isSafeInteger(exp)) return undefined;
    return { sub, exp, nonce };
  } catch {
    return undefined;
  }
}
