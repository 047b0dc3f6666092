import { SignJWT } from "jose";
import {
  CREDENTIAL_JWT_TYPE,
  SESSION_EPOCH_CLAIM,
  type RpcResult,
  type SignedCredential,
  type UnsignedCredential,
} from "@platform/contracts";
import { SIGNING_ALGORITHM, signingKeys } from "./signing-keys.ts";

/**
 * The platform signs Verifiable Credentials (certificates) with the key that signs its access
 * tokens, so that a verifier needs only the published JWKS. That key is the most valuable thing
 * the auth worker holds, so this is not a general signing service: it signs only what is shaped
 * like a VC Data Model 2.0 credential, sets the issuer and the JWT claims itself, and refuses
 * anything that could make the result look like an access token (docs/certificates.md).
 *
 * The form is the one Open Badges 3.0 (§8.2, "JSON Web Token Proof Format") and VC-JOSE-COSE
 * (§3.1) describe: the JWT payload is the credential, with `iss`, `jti`, `sub` and `nbf` mirroring
 * `issuer.id`, `id`, `credentialSubject.id` and `validFrom`.
 */
export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";

/** A certificate is a few hundred bytes; anything near this is not one of ours. */
export const MAX_CREDENTIAL_BYTES = 16 * 1024;

/**
 * Top-level names that are JWT claims (set here, from the credential, or never) or our access
 * tokens' own claims: a credential carrying one is refused rather than signed.
 */
const RESERVED_NAMES = new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "cnf",
  "roles",
  "scope",
  "client_id",
  SESSION_EPOCH_CLAIM,
]);

export interface CredentialSettings {
  readonly privateKeys: string | undefined;
  /** The platform's origin: `issuer.id` and `iss`; its `/.well-known/jwks.json` publishes the key. */
  readonly issuer: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && item.length > 0);

/** An absolute URI (`https:…`, `urn:uuid:…`), as VC `id`s must be. */
function isUri(value: unknown): value is string {
  if (typeof value !== "string" || !/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  return URL.canParse(value);
}

/** Whole seconds since the epoch, or undefined: a JWT NumericDate cannot hold what `validFrom` would lose. */
function numericDate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms % 1000 !== 0) return undefined;
  return ms / 1000;
}

/** Why a credential is refused, or undefined when it may be signed. */
export function credentialProblem(credential: unknown, issuer: string): string | undefined {
  if (!isRecord(credential)) return "not an object";
  const size = new TextEncoder().encode(JSON.stringify(credential)).byteLength;
  if (size > MAX_CREDENTIAL_BYTES) return `larger than ${MAX_CREDENTIAL_BYTES} bytes`;
  const context = credential["@context"];
  if (!isStringList(context) || context[0] !== VC_CONTEXT_V2) return `@context must start with ${VC_CONTEXT_V2}`;
  if (!isStringList(credential.type) || !credential.type.includes("VerifiableCredential")) {
    return "type must include VerifiableCredential";
  }
  if (!isUri(credential.id)) return "id must be an absolute URI";
  const reserved = Object.keys(credential).find((name) => RESERVED_NAMES.has(name));
  if (reserved) return `${reserved} is set by the signer or not at all`;
  if (!isRecord(credential.issuer)) return "issuer must be a profile object";
  if (credential.issuer.id !== undefined && credential.issuer.id !== issuer) return "issuer.id is not this issuer";
  if (!isStringList(credential.issuer.type) || typeof credential.issuer.name !== "string") {
    return "issuer needs a type and a name";
  }
  if (!isRecord(credential.credentialSubject) || !isUri(credential.credentialSubject.id)) {
    return "credentialSubject.id must be an absolute URI";
  }
  if (numericDate(credential.validFrom) === undefined) return "validFrom must be a date-time in whole seconds";
  if (credential.validUntil !== undefined && numericDate(credential.validUntil) === undefined) {
    return "validUntil must be a date-time in whole seconds";
  }
  return undefined;
}

/**
 * Signs the credential with the active key (its `kid` in the header, so verifiers pick it from
 * the JWKS). The header is exactly `alg`, `kid` and `typ`: Open Badges 3.0 allows no others.
 */
export async function signCredential(
  settings: CredentialSettings,
  unsigned: UnsignedCredential,
): Promise<RpcResult<SignedCredential, "invalid_credential">> {
  if (credentialProblem(unsigned, settings.issuer) !== undefined) return { ok: false, code: "invalid_credential" };
  const keys = await signingKeys(settings.privateKeys);
  const credential = { ...unsigned, issuer: { ...unsigned.issuer, id: settings.issuer } };
  const validFrom = numericDate(credential.validFrom) as number;
  const validUntil = numericDate(credential.validUntil);
  let jwt = new SignJWT(credential)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.active.kid, typ: CREDENTIAL_JWT_TYPE })
    .setIssuer(settings.issuer)
    .setJti(credential.id)
    .setSubject(credential.credentialSubject.id)
    .setNotBefore(validFrom);
  if (validUntil !== undefined) jwt = jwt.setExpirationTime(validUntil);
  return { ok: true, value: { jwt: await jwt.sign(keys.active.key), issuer: settings.issuer, kid: keys.active.kid } };
}
