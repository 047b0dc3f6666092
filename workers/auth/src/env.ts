import type { NotificationsRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";
import type { LoginThrottleApi, ObjectNamespace, SessionStoreApi } from "./object-apis.ts";

export interface AuthBindings extends DatabaseBindings, EventsQueueBindings {
  /** Secret: JSON array of Ed25519 private JWKs; the first signs (see signing-keys.ts). */
  readonly JWT_PRIVATE_KEYS: string;
  /** The `iss` of our tokens: the platform's public origin. */
  readonly JWT_ISSUER: string;
  /** The `aud` of our access tokens: the platform API. */
  readonly JWT_AUDIENCE: string;
  /** SessionStore (session-store.ts): one per user. */
  readonly SESSIONS: ObjectNamespace<SessionStoreApi>;
  /** LoginThrottle (login-throttle.ts): one per (email, client) pair and one per client. */
  readonly LOGIN_THROTTLE: ObjectNamespace<LoginThrottleApi>;
  /**
   * Secret: one or more comma-separated keys, each base64 of 32 random bytes: the AES-256-GCM keys
   * OpenID providers' client secrets are stored under (secret-box.ts; the first seals, all open, so
   * the key can be rotated). Needed to add a provider with a client secret and to sign in with one.
   */
  readonly OIDC_SECRETS_KEY?: string;
  /** How long a rotated refresh token still returns its successor (a raced refresh); default 10. */
  readonly REFRESH_REUSE_GRACE_SECONDS?: string;
  /** The notifications worker: the account mails (verify, reset, notices) go out through it. */
  readonly NOTIFICATIONS: Pick<NotificationsRpc, "sendAccountMail">;
  /** The platform's public origin, for the links in account mails; JWT_ISSUER when unset. */
  readonly PUBLIC_ORIGIN?: string;
  /** Lifetimes of the mailed links, in seconds (account-token-settings.ts has the defaults). */
  readonly VERIFY_EMAIL_TOKEN_TTL_SECONDS?: string;
  readonly PASSWORD_RESET_TOKEN_TTL_SECONDS?: string;
  readonly EMAIL_CHANGE_TOKEN_TTL_SECONDS?: string;
}

export type AuthEnv = ServiceEnv<AuthBindings, DatabaseVariables<typeof schema>>;

export function tokenSettings(env: AuthBindings) {
  return { privateKeys: env.JWT_PRIVATE_KEYS, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
}

export const DEFAULT_REFRESH_REUSE_GRACE_SECONDS = 10;

/** The grace window for a raced refresh, in ms; a malformed value falls back to the default, 0 turns it off. */
export function refreshGraceMs(env: Pick<AuthBindings, "REFRESH_REUSE_GRACE_SECONDS">): number {
  const value = env.REFRESH_REUSE_GRACE_SECONDS;
  const seconds =
    value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : DEFAULT_REFRESH_REUSE_GRACE_SECONDS;
  return Math.min(seconds, 60) * 1000;
}
