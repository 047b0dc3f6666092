import type { AuthBindings } from "./env.ts";

/**
 * The settings of the mailed links: how long each kind lives, and where it points. Lifetimes follow
 * what each link guards: a reset link opens the account, so it lives an hour; a verification waits
 * for someone to get round to their mail.
 */
export const DEFAULT_LIFETIMES_SECONDS = {
  verify_email: 48 * 60 * 60,
  reset_password: 60 * 60,
  change_email: 24 * 60 * 60,
} as const;

type LifetimeVars = Pick<
  AuthBindings,
  "VERIFY_EMAIL_TOKEN_TTL_SECONDS" | "PASSWORD_RESET_TOKEN_TTL_SECONDS" | "EMAIL_CHANGE_TOKEN_TTL_SECONDS"
>;

const LIFETIME_VARS = {
  verify_email: "VERIFY_EMAIL_TOKEN_TTL_SECONDS",
  reset_password: "PASSWORD_RESET_TOKEN_TTL_SECONDS",
  change_email: "EMAIL_CHANGE_TOKEN_TTL_SECONDS",
} as const satisfies Record<keyof typeof DEFAULT_LIFETIMES_SECONDS, keyof LifetimeVars>;

/** A malformed or non-positive value falls back to the default rather than minting links that never work. */
export function tokenLifetimeSeconds(env: LifetimeVars, purpose: keyof typeof DEFAULT_LIFETIMES_SECONDS): number {
  const value = env[LIFETIME_VARS[purpose]];
  const seconds = value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : 0;
  return seconds > 0 ? seconds : DEFAULT_LIFETIMES_SECONDS[purpose];
}

/** The site's origin, where the account pages are: PUBLIC_ORIGIN, else the token issuer (also the public origin). */
export function publicOrigin(env: Pick<AuthBindings, "PUBLIC_ORIGIN" | "JWT_ISSUER">): string {
  return new URL(env.PUBLIC_ORIGIN || env.JWT_ISSUER).origin;
}

type OriginVars = Pick<AuthBindings, "PUBLIC_ORIGIN" | "JWT_ISSUER">;

/** A site page with the token in its query: the page posts it back on a button press (a GET changes nothing). */
function pageLink(env: OriginVars, page: string, token?: string): string {
  const url = new URL(page, publicOrigin(env));
  if (token !== undefined) url.searchParams.set("token", token);
  return url.toString();
}

export const verifyEmailLink = (env: OriginVars, token: string) => pageLink(env, "/account/verify-email", token);
export const resetPasswordLink = (env: OriginVars, token: string) => pageLink(env, "/account/reset-password", token);
export const confirmEmailLink = (env: OriginVars, token: string) => pageLink(env, "/account/confirm-email", token);
/** Without a token: the page where one asks for a reset link (what the account-exists mail offers). */
export const requestResetLink = (env: OriginVars) => pageLink(env, "/account/reset-password");
export const signInLink = (env: OriginVars) => pageLink(env, "/signin");
