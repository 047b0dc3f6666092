import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import type { SessionStore } from "./session-store.ts";

export interface AuthBindings extends DatabaseBindings, EventsQueueBindings {
  /** Secret: JSON array of Ed25519 private JWKs; the first signs (see signing-keys.ts). */
  readonly JWT_PRIVATE_KEYS: string;
  /** The `iss` of our tokens: the platform's public origin. */
  readonly JWT_ISSUER: string;
  /** The `aud` of our access tokens: the platform API. */
  readonly JWT_AUDIENCE: string;
  readonly SESSIONS: DurableObjectNamespace<SessionStore>;
  readonly LOGIN_THROTTLE: DurableObjectNamespace<LoginThrottle>;
  /**
   * Secret: base64 of 32 random bytes, the AES-256-GCM key OpenID providers' client secrets are
   * stored under (secret-box.ts). Needed to add a provider with a client secret and to sign in with one.
   */
  readonly OIDC_SECRETS_KEY?: string;
  /** How long a rotated refresh token still returns its successor (a raced refresh); default 10. */
  readonly REFRESH_REUSE_GRACE_SECONDS?: string;
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
