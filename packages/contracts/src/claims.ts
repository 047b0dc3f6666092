/** Reads a dotted claim path (`realm_access.roles`) as a list of strings; anything else is no roles. */
export function rolesAt(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split(".")) {
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return Array.isArray(value) ? value.filter((role): role is string => typeof role === "string") : [];
}

/**
 * How long one of our access tokens lives. The auth worker issues tokens this long; the gateway
 * refuses a token whose `exp − iat` is longer, so that even a token signed with the real key
 * cannot outlive a revocation check it might somehow skip.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 15 * 60;

/**
 * The private claim in our access tokens that carries the user's session epoch when it was
 * issued. Ending a user's sessions (logout everywhere, disable, erasure, a change of roles) raises
 * the epoch held by that user's SessionStore; the gateway refuses tokens from an older epoch.
 * A counter, not a time: no clock granularity can let an old token through or stop a new one.
 */
export const SESSION_EPOCH_CLAIM = "session_epoch";

/**
 * The claim in our access tokens naming the session (refresh-token family) it was issued for,
 * as OpenID Connect's `sid`. Ending that one session (logout) lists its id with the user's
 * SessionStore for as long as an access token can live; the gateway refuses tokens it lists.
 */
export const SESSION_ID_CLAIM = "sid";
