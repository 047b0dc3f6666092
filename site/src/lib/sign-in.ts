import type { AstroCookies } from "astro";
import { callApi, type ApiCaller, type ApiResult } from "./api";
import { storeProfile, storeTokens, type TokenPair } from "./session-cookies";

interface SignInContext {
  readonly request: Request;
  readonly cookies: AstroCookies;
}

interface Profile {
  readonly name: string;
  readonly locale?: string;
}

interface Account {
  readonly email: string;
}

/**
 * Keeps a new token pair in the visitor's cookies with the profile the header shows. The profile
 * is read with the new token; right after sign-up the users service may not have made it yet
 * (it is made from the USER_CREATED event), so the name given at sign-up stands in.
 */
export async function startSession(context: SignInContext, tokens: TokenPair, fallbackName = ""): Promise<void> {
  storeTokens(context.cookies, tokens);
  const caller: ApiCaller = { request: context.request, locals: { session: { accessToken: tokens.accessToken } } };
  const [profile, account] = await Promise.all([
    callApi<Profile>(caller, "/api/users/me"),
    callApi<Account>(caller, "/api/auth/me"),
  ]);
  const email = account.ok ? account.data.email : "";
  storeProfile(context.cookies, {
    name: profile.ok ? profile.data.name : fallbackName,
    email,
    ...(profile.ok && profile.data.locale && { locale: profile.data.locale }),
  });
}

/** Signs in with email and password through the auth API; the caller shows the problem if it fails. */
export async function signInWithPassword(
  context: SignInContext,
  email: string,
  password: string,
  fallbackName?: string,
): Promise<ApiResult<TokenPair>> {
  const caller: ApiCaller = { request: context.request, locals: { session: null } };
  const result = await callApi<TokenPair>(caller, "/api/auth/login", { json: { email, password } });
  if (result.ok) await startSession(context, result.data, fallbackName);
  return result;
}
