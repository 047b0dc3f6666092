import type { AstroCookies, AstroCookieSetOptions } from "astro";

/**
 * The browser's half of a session: three HttpOnly cookies the page's JavaScript can never read.
 * `__Host-` pins each to this origin (Secure, Path=/, no Domain); SameSite=Lax sends them on a
 * top-level navigation back from the checkout, and on no cross-site subrequest or form post.
 */
export const ACCESS_COOKIE = "__Host-el_access";
export const REFRESH_COOKIE = "__Host-el_refresh";
/** Who is signed in, for the header and the interface language; never used to decide access. */
export const PROFILE_COOKIE = "__Host-el_profile";

/** A refresh token family lives 30 days in the auth worker (FAMILY_LIFETIME_MS); the cookie no longer. */
const REFRESH_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

const base: AstroCookieSetOptions = { httpOnly: true, secure: true, sameSite: "lax", path: "/" };

/** What the auth API answers to a sign-in or a refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

/** The profile shown in the header and used for the interface language. */
export interface ProfileSummary {
  readonly name: string;
  readonly email: string;
  readonly locale?: string;
}

export function storeTokens(cookies: AstroCookies, tokens: TokenPair): void {
  cookies.set(ACCESS_COOKIE, tokens.accessToken, { ...base, maxAge: Math.max(1, tokens.expiresIn) });
  cookies.set(REFRESH_COOKIE, tokens.refreshToken, { ...base, maxAge: REFRESH_MAX_AGE_SECONDS });
}

export function storeProfile(cookies: AstroCookies, profile: ProfileSummary): void {
  const bytes = new TextEncoder().encode(JSON.stringify(profile));
  cookies.set(PROFILE_COOKIE, base64url(bytes), { ...base, maxAge: REFRESH_MAX_AGE_SECONDS });
}

export function readProfile(cookies: AstroCookies): ProfileSummary | undefined {
  const value = cookies.get(PROFILE_COOKIE)?.value;
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(fromBase64url(value))) as Partial<ProfileSummary>;
    if (typeof parsed.name !== "string" || typeof parsed.email !== "string") return undefined;
    return {
      name: parsed.name,
      email: parsed.email,
      ...(typeof parsed.locale === "string" && { locale: parsed.locale }),
    };
  } catch {
    return undefined;
  }
}

export function clearSession(cookies: AstroCookies): void {
  for (const name of [ACCESS_COOKIE, REFRESH_COOKIE, PROFILE_COOKIE]) cookies.delete(name, { ...base });
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}
