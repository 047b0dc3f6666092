/**
 * Refresh tokens are opaque to clients: `rt1.<userId>.<familyId>.<secret>`, where the secret is
 * 256 random bits. The user id routes the token to that user's session store (a Durable Object);
 * only a SHA-256 of the whole token is ever stored, so a database or storage leak yields nothing
 * that can be presented.
 */
const PREFIX = "rt1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedRefreshToken {
  readonly userId: string;
  readonly familyId: string;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function newRefreshToken(userId: string, familyId: string): string {
  return `${PREFIX}.${userId}.${familyId}.${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [prefix, userId, familyId, secret] = parts as [string, string, string, string];
  if (prefix !== PREFIX || !UUID.test(userId) || !UUID.test(familyId) || !SECRET.test(secret)) return undefined;
  return { userId, familyId };
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(digest));
}
