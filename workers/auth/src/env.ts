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
}

export type AuthEnv = ServiceEnv<AuthBindings, DatabaseVariables<typeof schema>>;

export function tokenSettings(env: AuthBindings) {
  return { privateKeys: env.JWT_PRIVATE_KEYS, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
}
