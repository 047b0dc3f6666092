/**
 * Integrators' credentials (docs/integrators.md): API keys that carry scopes, made by an admin.
 * A key acts for the admin who made it, limited to its scopes: a route that declares no scope is
 * closed to keys altogether, and one that declares a scope the key lacks answers 403.
 */
export const API_SCOPES = [
  "courses:read",
  "courses:write",
  "enrollments:write",
  "events:read",
  "webhooks:manage",
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope opens, as the OpenAPI document and the admin console say it. */
export const API_SCOPE_DESCRIPTIONS: Readonly<Record<ApiScope, string>> = {
  "courses:read": "Read courses, their lessons and outlines, drafts included",
  "courses:write": "Create and change courses and their lessons",
  "enrollments:write": "Grant people access to courses",
  "events:read": "Read the platform's event feed",
  "webhooks:manage": "Subscribe webhook endpoints and read their deliveries",
};

export const isApiScope = (value: unknown): value is ApiScope =>
  typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);

/**
 * The recognisable start of every key (`elk_<key id, 32 hex>_<secret, 43 base64url>`), so that
 * secret scanners can find a leaked one: `elk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}`.
 */
export const API_KEY_PREFIX = "elk_";
export const API_KEY_PATTERN = /^elk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** The JWT claim that names the key a client-credentials access token was issued for. */
export const API_KEY_ID_CLAIM = "key_id";

/** What the gateway learns of a key it was shown (or of the key behind a client-credentials token). */
export interface ResolvedApiKey {
  readonly keyId: string;
  /** The admin the key acts for, and that account's roles now. */
  readonly userId: string;
  readonly roles: readonly string[];
  readonly scopes: readonly ApiScope[];
}
