import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  API_KEY_ID_CLAIM,
  SESSION_EPOCH_CLAIM,
  SESSION_ID_CLAIM,
  rolesAt,
  type AuthRpc,
} from "@platform/contracts";
import { keySetOf, trustedIssuer } from "./external-issuers.ts";
import { keySetFor } from "./jwks-cache.ts";
import { EpochUnavailableError, sessionRevocationsOf } from "./session-epochs.ts";

/** Our own tokens: EdDSA only. `none`, HMAC (the public-key-as-secret confusion) and RSA are refused outright. */
const OWN_ALGORITHMS = ["EdDSA"];
/** External providers sign with RSA or EC keys (KeyCloak's default is RS256); never `none` or HMAC. */
const EXTERNAL_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];
const CLOCK_TOLERANCE_SECONDS = 30;
const ROLES: readonly string[] = ["learner", "instructor", "admin"];

export interface VerifiedPrincipal {
  readonly userId: string;
  readonly roles: readonly string[];
  /** Set when the caller is an integrator's API key (or a client-credentials token of one). */
  readonly apiKey?: { readonly id: string; readonly scopes: readonly string[] };
}

/** `unavailable`: the token could not be checked (the auth service did not answer), not found bad. */
export type BearerCheck =
  { ok: true; principal: VerifiedPrincipal } | { ok: false; reason: string; unavailable?: true };

export interface BearerSettings {
  /** The auth worker's binding: its JWKS over fetch, trusted issuers and subject links over RPC. */
  readonly auth: Fetcher & AuthRpc;
  readonly issuer: string;
  readonly audience: string;
  readonly correlationId: string;
}

function failure(error: unknown): BearerCheck {
  if (error instanceof EpochUnavailableError) return { ok: false, reason: error.message, unavailable: true };
  const code = (error as { code?: unknown }).code;
  return { ok: false, reason: typeof code === "string" ? code : "verification failed" };
}

export async function verifyBearer(settings: BearerSettings, token: string): Promise<BearerCheck> {
  let kid: string | undefined;
  let alg: string | undefined;
  let claimedIssuer: unknown;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
    claimedIssuer = decodeJwt(token).iss;
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (!kid) return { ok: false, reason: "token has no kid" };
  if (claimedIssuer === settings.issuer) return verifyOwn(settings, token, kid, alg);
  if (typeof claimedIssuer === "string") return verifyExternal(settings, token, claimedIssuer, alg);
  return { ok: false, reason: "no issuer" };
}

/**
 * An integrator's API key, shown whole or behind a client-credentials token: the auth worker says
 * whether it may be used now, for whom, and with which scopes. A token's scopes are those it was
 * granted that the key still has.
 */
export async function fromApiKey(
  settings: BearerSettings,
  credential: { key: string } | { keyId: string },
  granted?: readonly string[],
): Promise<BearerCheck> {
  const result = await settings.auth.resolveApiKey(credential);
  if (!result.ok) {
    return result.code === "unavailable"
      ? { ok: false, reason: "the auth service cannot check API keys", unavailable: true }
      : { ok: false, reason: "unknown or revoked API key" };
  }
  const { keyId, userId, roles, scopes } = result.value;
  const usable = granted ? scopes.filter((scope) => granted.includes(scope)) : [...scopes];
  return { ok: true, principal: { userId, roles: [...roles], apiKey: { id: keyId, scopes: usable } } };
}

async function verifyOwn(settings: BearerSettings, token: string, kid: string, alg: string | undefined) {
  if (!alg || !OWN_ALGORITHMS.includes(alg)) return { ok: false as const, reason: "algorithm not allowed" };
  try {
    const { keySet, kids } = await keySetFor(settings.auth, kid);
    if (!kids.has(kid)) return { ok: false as const, reason: "unknown kid" };
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: OWN_ALGORITHMS,
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "exp", "iat", "jti"],
      typ: "at+jwt",
    });
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    if (typeof payload.sub !== "string" || !roles.every((role) => typeof role === "string" && ROLES.includes(role))) {
      return { ok: false as const, reason: "unexpected claims" };
    }
    // Signed by our key but meant to live longer than auth ever issues: not one of ours to honour.
    if (Number(payload.exp) - Number(payload.iat) > ACCESS_TOKEN_LIFETIME_SECONDS) {
      return { ok: false as const, reason: "lifetime too long" };
    }
    // A client-credentials token: the key behind it is asked about on every use, so revoking it is felt at once.
    const keyId = payload[API_KEY_ID_CLAIM];
    if (keyId !== undefined) {
      if (typeof keyId !== "string" || typeof payload.scope !== "string") {
        return { ok: false as const, reason: "unexpected claims" };
      }
      return fromApiKey(settings, { keyId }, payload.scope.split(" ").filter(Boolean));
    }
    // Tokens issued before the user's sessions were ended (or their roles changed) are void.
    // A token without the claim predates it: epoch 0, void once the user's epoch has risen.
    const claimed = payload[SESSION_EPOCH_CLAIM] ?? 0;
    const sessionId = payload[SESSION_ID_CLAIM];
    if (typeof claimed !== "number" || !Number.isSafeInteger(claimed)) {
      return { ok: false as const, reason: "unexpected claims" };
    }
    if (sessionId !== undefined && typeof sessionId !== "string") {
      return { ok: false as const, reason: "unexpected claims" };
    }
    // One lookup (cached) answers both: the epoch, and the sessions logged out one by one.
    const revocations = await sessionRevocationsOf(settings.auth, payload.sub);
    if (claimed < revocations.epoch) return { ok: false as const, reason: "sessions ended" };
    if (sessionId !== undefined && revocations.endedSessions.includes(sessionId)) {
      return { ok: false as const, reason: "session ended" };
    }
    return { ok: true as const, principal: { userId: payload.sub, roles: roles as string[] } };
  } catch (error) {
    return failure(error);
  }
}

/**
 * A token from an external provider is accepted only if the auth service trusts that exact
 * issuer, it verifies against the keys that issuer publishes, and it is meant for the audience
 * configured for it. Its subject is then linked to a local account, on every request: a disabled
 * account, or a provider disabled or removed since, is refused, and the roles are the account's.
 */
async function verifyExternal(settings: BearerSettings, token: string, issuer: string, alg: string | undefined) {
  if (!alg || !EXTERNAL_ALGORITHMS.includes(alg)) return { ok: false as const, reason: "algorithm not allowed" };
  try {
    const trusted = await trustedIssuer(settings.auth, issuer);
    if (!trusted) return { ok: false as const, reason: "issuer not trusted" };
    const { payload } = await jwtVerify(token, await keySetOf(issuer), {
      algorithms: EXTERNAL_ALGORITHMS,
      issuer,
      audience: trusted.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "exp"],
    });
    if (typeof payload.sub !== "string" || payload.sub.length === 0)
      return { ok: false as const, reason: "no subject" };
    const linked = await settings.auth.linkExternalSubject(
      {
        issuer,
        subject: payload.sub,
        ...(typeof payload.email === "string" && { email: payload.email }),
        ...(typeof payload.name === "string" && { name: payload.name }),
        externalRoles: rolesAt(payload, trusted.roleClaim),
      },
      settings.correlationId,
    );
    if (!linked.ok) {
      return linked.code === "unavailable"
        ? { ok: false as const, reason: linked.code, unavailable: true as const }
        : { ok: false as const, reason: linked.code };
    }
    return { ok: true as const, principal: { userId: linked.value.userId, roles: linked.value.roles } };
  } catch (error) {
    return failure(error);
  }
}
