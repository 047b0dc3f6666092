import { decodeProtectedHeader, jwtVerify } from "jose";
import { keySetFor } from "./jwks-cache.ts";

/** Only our signing algorithm: `none`, HMAC (the public-key-as-secret confusion) and RSA are refused outright. */
const ALLOWED_ALGORITHMS = ["EdDSA"];
const CLOCK_TOLERANCE_SECONDS = 30;
const ROLES: readonly string[] = ["learner", "instructor", "admin"];

export interface VerifiedPrincipal {
  readonly userId: string;
  readonly roles: readonly string[];
}

export type BearerCheck = { ok: true; principal: VerifiedPrincipal } | { ok: false; reason: string };

export interface BearerSettings {
  readonly auth: Fetcher;
  readonly issuer: string;
  readonly audience: string;
}

export async function verifyBearer(settings: BearerSettings, token: string): Promise<BearerCheck> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    kid = header.kid;
    if (!header.alg || !ALLOWED_ALGORITHMS.includes(header.alg)) return { ok: false, reason: "algorithm not allowed" };
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (!kid) return { ok: false, reason: "token has no kid" };
  try {
    const { keySet, kids } = await keySetFor(settings.auth, kid);
    if (!kids.has(kid)) return { ok: false, reason: "unknown kid" };
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: ALLOWED_ALGORITHMS,
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "exp", "iat", "jti"],
      typ: "at+jwt",
    });
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    if (typeof payload.sub !== "string" || !roles.every((role) => typeof role === "string" && ROLES.includes(role))) {
      return { ok: false, reason: "unexpected claims" };
    }
    return { ok: true, principal: { userId: payload.sub, roles: roles as string[] } };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, reason: typeof code === "string" ? code : "verification failed" };
  }
}
