import { fromBase64url } from "./session-cookies";

/** What the site reads from an access token: the gateway and the workers verify it; the site only needs these. */
export interface AccessClaims {
  readonly userId: string;
  readonly roles: readonly string[];
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * The claims of an access token the auth worker gave this site, read without verifying its
 * signature: the site never grants anything on its own, it forwards the token to the API, which
 * verifies it. Reading `exp` lets the site refresh before the API would refuse the token.
 */
export function readAccessClaims(token: string): AccessClaims | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as Record<string, unknown>;
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return undefined;
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
    return { userId: claims.sub, roles, expiresAt: claims.exp };
  } catch {
    return undefined;
  }
}
