import type { AstroCookies } from "astro";
import { callApi, type ApiCaller, type ApiResult } from "./api";
import { REFRESH_COOKIE, clearSession, storeTokens, type TokenPair } from "./session-cookies";

interface SecurityContext extends ApiCaller {
  readonly cookies: AstroCookies;
}

interface PasswordChanged {
  readonly sessionKept: boolean;
  readonly tokens: TokenPair | null;
}

/**
 * Changes the password and keeps this browser signed in: the session's refresh token goes with
 * the change, so the auth worker ends every other session but this one and answers a new access
 * token for it (every access token issued before stops working), which replaces the old one in the
 * cookies. If it could not keep the session (the refresh token was no longer live), this browser
 * is signed out like the others.
 */
export async function changePassword(
  context: SecurityContext,
  currentPassword: string,
  newPassword: string,
): Promise<ApiResult<PasswordChanged>> {
  const refreshToken = context.cookies.get(REFRESH_COOKIE)?.value;
  const changed = await callApi<PasswordChanged>(context, "/api/auth/password", {
    json: { currentPassword, newPassword, ...(refreshToken && { refreshToken }) },
  });
  if (changed.ok) {
    if (changed.data.sessionKept && changed.data.tokens) storeTokens(context.cookies, changed.data.tokens);
    else clearSession(context.cookies);
  }
  return changed;
}

/** Ends every session of the account (this one too) and forgets this browser's cookies. */
export async function signOutEverywhere(context: SecurityContext): Promise<ApiResult<unknown>> {
  const ended = await callApi(context, "/api/auth/logout-all", { method: "POST" });
  // Already signed out (401): the cookies are worth nothing either way.
  if (ended.ok || ended.status === 401) {
    clearSession(context.cookies);
    return ended.ok ? ended : { ok: true, status: 204, data: undefined, headers: new Headers() };
  }
  return ended;
}
