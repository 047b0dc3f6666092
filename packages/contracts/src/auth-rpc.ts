import type { ResolvedApiKey } from "./api-keys.ts";
/**
 * The auth worker's RPC surface for other workers (the gateway). Methods return result unions,
 * never throw: errors do not survive an RPC boundary with their class or code.
 */
export type PlatformRole = "learner" | "instructor" | "admin";

export interface ExternalIssuer {
  readonly slug: string;
  readonly issuer: string;
  readonly audience: string;
  /** Dotted path of the roles array in that issuer's tokens, e.g. `realm_access.roles`. */
  readonly roleClaim: string;
  readonly roleMap: Record<string, PlatformRole>;
}

export interface LinkedSubject {
  readonly userId: string;
  /** The local account's roles (an admin's changes win over the provider's claims after the first sign-in). */
  readonly roles: PlatformRole[];
  readonly created: boolean;
}

export type RpcResult<T, Code extends string> = { ok: true; value: T } | { ok: false; code: Code };

export interface MailRecipient {
  readonly email: string;
  readonly emailVerified: boolean;
  readonly status: "active" | "disabled";
}

/** A user's ended sessions, as the gateway needs them to refuse access tokens (see `sessionRevocations`). */
export interface SessionRevocations {
  readonly epoch: number;
  /** Sessions (refresh-token families) ended singly in the last `ACCESS_TOKEN_LIFETIME_SECONDS`. */
  readonly endedSessions: readonly string[];
}

/** An account as a bulk look-up finds it (the enrollment import resolves its rows with one). */
export interface AccountMatch {
  readonly id: string;
  /** The account's normalised address (trimmed, lower case). */
  readonly email: string;
  readonly status: "active" | "disabled";
}

export interface AccountExport {
  readonly id: string;
  readonly email: string;
  readonly roles: PlatformRole[];
  readonly status: "active" | "disabled";
  readonly createdAt: string;
  readonly liveSessions: number;
}

/**
 * The JOSE `typ` of the platform's signed credentials (VC-JOSE-COSE §3.1.1, `application/vc+jwt`).
 * Access tokens are `at+jwt` (RFC 9068): a verifier that checks `typ` cannot take one for the other.
 */
export const CREDENTIAL_JWT_TYPE = "vc+jwt";

/**
 * A W3C Verifiable Credential (Data Model 2.0) for the auth worker to sign as issuer. The caller
 * says what is attested; the auth worker adds who attests it (`issuer.id`, the platform's origin)
 * and derives the JWT claims from the credential (`iss`, `jti` = `id`, `sub` =
 * `credentialSubject.id`, `nbf` = `validFrom`, `exp` = `validUntil`), so they cannot disagree.
 */
export interface UnsignedCredential {
  readonly "@context": readonly string[];
  readonly id: string;
  readonly type: readonly string[];
  /** The issuer's profile without its `id`, which is the signer's to set. */
  readonly issuer: { readonly type: readonly string[]; readonly name: string; readonly [key: string]: unknown };
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly credentialSubject: { readonly id: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface SignedCredential {
  /** The credential as a compact JWS (`typ: vc+jwt`), verifiable against the issuer's published JWKS. */
  readonly jwt: string;
  /** `iss` and `issuer.id`: the platform's origin, whose `/.well-known/jwks.json` holds the key. */
  readonly issuer: string;
  readonly kid: string;
}

export interface AuthRpc {
  /**
   * An integrator's credential, as the gateway was shown it: the whole key (`elk_…`), or the key id of
   * a client-credentials access token (checked on every use, so a revoked key stops at once). `invalid`:
   * unknown, revoked, a secret that is not (or no longer) the key's, or its admin disabled.
   */
  resolveApiKey(
    credential: { key: string } | { keyId: string },
  ): Promise<RpcResult<ResolvedApiKey, "invalid" | "unavailable">>;
  validateToken(token: string): Promise<
    RpcResult<
      {
        sub: string;
        roles: readonly PlatformRole[];
        jti: string;
        exp: number;
        iat: number;
        epoch: number;
        /** The session the token was issued for; absent in tokens from before sessions were named. */
        sid?: string;
      },
      "invalid_token" | "expired_token"
    >
  >;
  trustedIssuers(): Promise<RpcResult<ExternalIssuer[], "unavailable">>;
  linkExternalSubject(
    input: { issuer: string; subject: string; email?: string; name?: string; externalRoles: string[] },
    correlationId: string,
  ): Promise<RpcResult<LinkedSubject, "unknown_issuer" | "account_disabled" | "unavailable">>;
  /**
   * The user's current session epoch (0 until their sessions were first ended). An access token
   * whose epoch claim is lower belongs to sessions that were ended: the gateway refuses it.
   */
  sessionEpoch(userId: string): Promise<RpcResult<number, "unavailable">>;
  /**
   * What the gateway checks our access tokens against (through a short cache): the session epoch
   * as `sessionEpoch` answers it, and the ids (`sid` claim) of the user's sessions ended one by
   * one (logout) within the last access-token lifetime. A token whose `sid` is listed is void.
   */
  sessionRevocations(userId: string): Promise<RpcResult<SessionRevocations, "unavailable">>;
  /** Admin changes; disabling ends every session, and a change of roles voids the access tokens issued before it. */
  changeAccount(
    userId: string,
    changes: { roles?: PlatformRole[]; status?: "active" | "disabled" },
    correlationId: string,
  ): Promise<RpcResult<AccountExport, "not_found" | "unavailable">>;
  exportAccount(userId: string): Promise<RpcResult<AccountExport, "not_found" | "unavailable">>;
  /**
   * Where the platform's mail to this account goes (the notifications worker asks before each mail):
   * its current address, whether that address was confirmed, and whether the account is active.
   */
  mailRecipient(userId: string): Promise<RpcResult<MailRecipient, "not_found" | "unavailable">>;
  /**
   * The accounts with any of these ids or (normalised) addresses, at most 1,000 of each, in one
   * query: one call resolves a whole import. Ids or addresses with no account are simply absent.
   */
  findAccounts(query: {
    ids: readonly string[];
    emails: readonly string[];
  }): Promise<RpcResult<AccountMatch[], "too_many" | "unavailable">>;
  /** Erasure: the account is deleted, USER_DELETED recorded, every session ended. */
  eraseAccount(userId: string, correlationId: string): Promise<RpcResult<null, "not_found" | "unavailable">>;
  /**
   * Signs a Verifiable Credential with the platform's current signing key, as a `vc+jwt` that can
   * never pass for an access token (another `typ`, no `aud`, no `exp` unless the credential has
   * `validUntil`). `invalid_credential`: not a credential the signer will vouch for.
   */
  signCredential(
    credential: UnsignedCredential,
  ): Promise<RpcResult<SignedCredential, "invalid_credential" | "unavailable">>;
}
