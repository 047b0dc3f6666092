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

export interface AccountExport {
  readonly id: string;
  readonly email: string;
  readonly roles: PlatformRole[];
  readonly status: "active" | "disabled";
  readonly createdAt: string;
  readonly liveSessions: number;
}

export interface AuthRpc {
  validateToken(
    token: string,
  ): Promise<
    RpcResult<
      { sub: string; roles: readonly PlatformRole[]; jti: string; exp: number; iat: number; epoch: number },
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
  /** Admin changes; disabling ends every session, and a change of roles voids the access tokens issued before it. */
  changeAccount(
    userId: string,
    changes: { roles?: PlatformRole[]; status?: "active" | "disabled" },
    correlationId: string,
  ): Promise<RpcResult<AccountExport, "not_found" | "unavailable">>;
  exportAccount(userId: string): Promise<RpcResult<AccountExport, "not_found" | "unavailable">>;
  /** Erasure: the account is deleted, USER_DELETED recorded, every session ended. */
  eraseAccount(userId: string, correlationId: string): Promise<RpcResult<null, "not_found" | "unavailable">>;
}
