import { SignJWT, createLocalJWKSet, jwtVerify, errors } from "jose";
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  API_KEY_ID_CLAIM,
  SESSION_EPOCH_CLAIM,
  SESSION_ID_CLAIM,
} from "@platform/contracts";
import { SIGNING_ALGORITHM, signingKeys } from "./signing-keys.ts";

export const ACCESS_TOKEN_TTL_SECONDS = ACCESS_TOKEN_LIFETIME_SECONDS;
/** Clock skew accepted on `exp`/`nbf`/`iat` between our workers and other verifiers. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export type Role = "learner" | "instructor" | "admin";

/** RFC 9068 access tokens name the client they were issued to; ours are for the platform's own apps. */
export const FIRST_PARTY_CLIENT_ID = "edge-learning";

export interface TokenSettings {
  readonly privateKeys: string | undefined;
  readonly issuer: string;
  readonly audience: string;
}

export interface AccessTokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly jti: string;
  readonly exp: number;
  readonly iat: number;
  /** The session epoch the token was issued in (0 for tokens from before epochs). */
  readonly epoch: number;
  /** The session (refresh-token family) it was issued for: logging that session out voids it. */
  readonly sid?: string;
}

/**
 * Signs one of our access tokens (`typ` at+jwt, EdDSA with the active key): the subject, issuer,
 * audience, lifetime and a fresh `jti` every kind shares, around the kind's own claims.
 */
async function signAccessToken(
  settings: TokenSettings,
  userId: string,
  claims: Record<string, unknown>,
  lifetimeSeconds: number,
  now: Date,
): Promise<{ token: string; expiresIn: number }> {
  const keys = await signingKeys(settings.privateKeys);
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.active.kid, typ: "at+jwt" })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(keys.active.key);
  return { token, expiresIn: lifetimeSeconds };
}

export function issueAccessToken(
  settings: TokenSettings,
  subject: { userId: string; roles: readonly Role[]; epoch: number; sessionId: string },
  now: Date = new Date(),
): Promise<{ token: string; expiresIn: number }> {
  const claims = {
    roles: subject.roles,
    client_id: FIRST_PARTY_CLIENT_ID,
    [SESSION_EPOCH_CLAIM]: subject.epoch,
    [SESSION_ID_CLAIM]: subject.sessionId,
  };
  return signAccessToken(settings, subject.userId, claims, ACCESS_TOKEN_TTL_SECONDS, now);
}

export type TokenCheck =
  { ok: true; value: AccessTokenClaims } | { ok: false; code: "invalid_token" | "expired_token" };

const ROLES: readonly string[] = ["learner", "instructor", "admin"];

/**
 * Verifies one of our own access tokens: EdDSA only (no `none`, no HMAC with a public key as
 * secret), a `kid` we publish, our issuer and audience, and time claims within the skew.
 * Returns a result instead of throwing, so it can cross an RPC boundary unchanged.
 */
export async function verifyAccessToken(settings: TokenSettings, token: string): Promise<TokenCheck> {
  try {
    const keys = await signingKeys(settings.privateKeys);
    const jwks = createLocalJWKSet({ keys: [...keys.publicJwks] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "exp", "iat", "jti"],
      typ: "at+jwt",
    });
    const roles = payload.roles;
    if (
      !protectedHeader.kid ||
      typeof payload.sub !== "string" ||
      !Array.isArray(roles) ||
      !roles.every((role) => typeof role === "string" && ROLES.includes(role)) ||
      // Correctly signed but meant to live longer than we ever issue: refused, like at the gateway.
      Number(payload.exp) - Number(payload.iat) > ACCESS_TOKEN_TTL_SECONDS ||
      !Number.isSafeInteger(payload[SESSION_EPOCH_CLAIM] ?? 0) ||
      !["string", "undefined"].includes(typeof payload[SESSION_ID_CLAIM])
    ) {
      return { ok: false, code: "invalid_token" };
    }
    return {
      ok: true,
      value: {
        sub: payload.sub,
        roles: roles as Role[],
        jti: String(payload.jti),
        exp: Number(payload.exp),
        iat: Number(payload.iat),
        epoch: Number(payload[SESSION_EPOCH_CLAIM] ?? 0),
        ...(typeof payload[SESSION_ID_CLAIM] === "string" && { sid: payload[SESSION_ID_CLAIM] }),
      },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, code: "expired_token" };
    return { ok: false, code: "invalid_token" };
  }
}

/** How long a client-credentials access token lives: short, as the key behind it is checked on every use anyway. */
export const CLIENT_CREDENTIALS_TTL_SECONDS = 5 * 60;

/**
 * An access token for an API key (RFC 6749 §4.4, client credentials): the key's admin as `sub`,
 * the key's public id as `client_id`, the granted scopes in `scope` (RFC 9068 §2.2.3) and the key
 * in `key_id`, which the gateway resolves on every use, so revoking the key voids its tokens at once.
 */
export function issueClientCredentialsToken(
  settings: TokenSettings,
  subject: { userId: string; roles: readonly string[]; keyId: string; clientId: string; scopes: readonly string[] },
  now: Date = new Date(),
): Promise<{ token: string; expiresIn: number }> {
  const claims = {
    roles: subject.roles,
    client_id: subject.clientId,
    scope: subject.scopes.join(" "),
    [API_KEY_ID_CLAIM]: subject.keyId,
  };
  return signAccessToken(settings, subject.userId, claims, CLIENT_CREDENTIALS_TTL_SECONDS, now);
}
