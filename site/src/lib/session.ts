import type { AstroCookies } from "astro";
import { readAccessClaims } from "./access-claims";
import { callApi, type ApiCaller } from "./api";
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  clearSession,
  readProfile,
  storeTokens,
  type ProfileSummary,
  type TokenPair,
} from "./session-cookies";

/** The signed-in visitor as a page sees them. */
export interface Session {
  readonly userId: string;
  readonly roles: readonly string[];
  /** Forwarded to the API on the visitor's behalf; never written into a page. */
  readonly accessToken: string;
  /** Absent only if the profile cookie was lost; the header then says "Account". */
  readonly profile: ProfileSummary | undefined;
}

/** Refresh a little before the API would refuse the token, so a page's calls never race its expiry. */
const REFRESH_MARGIN_SECONDS = 30;

interface SessionContext {
  readonly request: Request;
  readonly cookies: AstroCookies;
}

/**
 * The visitor's session from their cookies, refreshed transparently: an access token that is
 * missing (its cookie expired with it) or about to expire is exchanged, with the refresh token,
 * for a new pair, stored back in the cookies. A refresh the API refuses ends the session here too
 * (the cookies are cleared); one it cannot answer leaves the cookies for the next request.
 */
export async function currentSession(context: SessionContext, now = Date.now()): Promise<Session | null> {
  const access = context.cookies.get(ACCESS_COOKIE)?.value;
  const claims = access ? readAccessClaims(access) : undefined;
  if (access && claims && claims.expiresAt - now / 1000 > REFRESH_MARGIN_SECONDS) {
    return { userId: claims.userId, roles: claims.roles, accessToken: access, profile: readProfile(context.cookies) };
  }
  const refreshToken = context.cookies.get(REFRESH_COOKIE)?.value;
  if (!refreshToken) {
    if (access) clearSession(context.cookies);
    return null;
  }
  const caller: ApiCaller = { request: context.request, locals: { session: null } };
  const refreshed = await callApi<TokenPair>(caller, "/api/auth/refresh", { json: { refreshToken } });
  if (!refreshed.ok) {
    if (refreshed.status === 401 || refreshed.status === 400) clearSession(context.cookies);
    return null;
  }
  const fresh = readAccessClaims(refreshed.data.accessToken);
  if (!fresh) return null;
  storeTokens(context.cookies, refreshed.data);
  return {
    userId: fresh.userId,
    roles: fresh.roles,
    accessToken: refreshed.data.accessToken,
    profile: readProfile(context.cookies),
  };
}
