import { importJWK, type CryptoKey, type JWK } from "jose";

/**
 * Access tokens are signed with Ed25519 (JWS `EdDSA`). Keys come from the `JWT_PRIVATE_KEYS`
 * secret: a JSON array of private JWKs, each with a `kid`. The first signs; all are published
 * in the JWKS, so during a rotation tokens signed by the previous key keep verifying until they
 * expire. Rotate by prepending a new key, waiting out the access-token lifetime, then dropping
 * the old one.
 */
export const SIGNING_ALGORITHM = "EdDSA";

export interface SigningKeys {
  readonly active: { kid: string; key: CryptoKey };
  readonly publicJwks: readonly JWK[];
}

const cache = new Map<string, Promise<SigningKeys>>();

function isPrivateOkpJwk(value: unknown): value is JWK & { kid: string; d: string; x: string } {
  if (typeof value !== "object" || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === "OKP" &&
    jwk.crv === "Ed25519" &&
    typeof jwk.kid === "string" &&
    jwk.kid.length > 0 &&
    typeof jwk.d === "string" &&
    typeof jwk.x === "string"
  );
}

async function parse(secret: string): Promise<SigningKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new Error("JWT_PRIVATE_KEYS is not valid JSON");
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isPrivateOkpJwk)) {
    throw new Error("JWT_PRIVATE_KEYS must be a non-empty JSON array of Ed25519 private JWKs with a kid");
  }
  const kids = new Set(parsed.map((jwk) => jwk.kid));
  if (kids.size !== parsed.length) throw new Error("JWT_PRIVATE_KEYS has duplicate kids");
  const first = parsed[0] as JWK & { kid: string };
  const key = (await importJWK({ ...first, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
  const publicJwks = parsed.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid, alg: SIGNING_ALGORITHM, use: "sig" }));
  return { active: { kid: first.kid, key }, publicJwks };
}

/** Parsed once per isolate per secret value (a rotated secret is a new value). */
export function signingKeys(secret: string | undefined): Promise<SigningKeys> {
  if (!secret) return Promise.reject(new Error("JWT_PRIVATE_KEYS is not configured"));
  let keys = cache.get(secret);
  if (!keys) {
    keys = parse(secret);
    keys.catch(() => cache.delete(secret));
    cache.set(secret, keys);
  }
  return keys;
}
