import type { AuthRpc } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import { DomainWorker } from "@platform/service-kit/worker";
import { verifyAccessToken, type AccessTokenClaims, type Role, type TokenCheck } from "./access-tokens.ts";
import { findAccounts } from "./account-lookup.ts";
import { apiKeyOfVerifiedToken, resolveApiKey } from "./api-keys.ts";
import { changeAccount, eraseAccount, findAccountById, findMailRecipient, type Account } from "./accounts.ts";
import { app } from "./app.ts";
import { signCredential } from "./credentials.ts";
import * as schema from "./db/schema.ts";
import { tokenSettings, type AuthBindings } from "./env.ts";
import { linkExternalSubject, listTrustedIssuers } from "./external-identities.ts";

/** The roles a token may carry; an account's stored roles are plain text. */
const PLATFORM_ROLES: readonly string[] = ["learner", "instructor", "admin"] satisfies Role[];

export { SessionStore } from "./session-store.ts";
export { LoginThrottle } from "./login-throttle.ts";
export { app };

/** HTTP through the gateway, plus typed RPC for internal callers (result unions: RPC drops error classes). */
export default class AuthWorker extends DomainWorker<AuthBindings, typeof schema> implements AuthRpc {
  protected readonly service = { name: "auth", schema, app };

  /**
   * The seed's `validateToken`: verifies one of our access tokens, then judges it as the gateway
   * does. A person's token: its sessions were not ended since (its epoch is current and its own
   * session was not logged out). A client-credentials token: the API key it names may still be
   * used (not revoked, its admin active), and it acts with the admin's roles now.
   */
  async validateToken(token: string): Promise<TokenCheck> {
    const check = await verifyAccessToken(tokenSettings(this.env), token);
    if (!check.ok) return check;
    const apiKey = apiKeyOfVerifiedToken(token);
    if (apiKey === "malformed") return { ok: false, code: "invalid_token" };
    if (apiKey !== "none") return this.validateKeyToken(check.value, apiKey.keyId);
    const revoked = await this.sessions(check.value.sub).revocations();
    const sessionEnded = check.value.sid !== undefined && revoked.endedSessions.includes(check.value.sid);
    if (check.value.epoch >= revoked.epoch && !sessionEnded) return check;
    return { ok: false, code: "invalid_token" };
  }

  /**
   * A client-credentials token stands or falls with its key, looked up on every use (no cache, as
   * at the gateway), not with its admin's sessions: signing out does not stop an integration, and
   * revoking its key does at once. A database that cannot answer throws, as a session store that
   * cannot does above: the contract's codes say the token is bad, which would not be true.
   */
  private async validateKeyToken(claims: AccessTokenClaims, keyId: string): Promise<TokenCheck> {
    const key = await this.withDatabase((db) => resolveApiKey(db, { keyId }), { writesEvents: false });
    if (!key) return { ok: false, code: "invalid_token" };
    const roles = key.roles.filter((role): role is Role => PLATFORM_ROLES.includes(role));
    return { ok: true, value: { ...claims, roles } };
  }

  /** An integrator's key (or the key behind a client-credentials token), as the gateway was shown it (api-keys.ts). */
  async resolveApiKey(credential: { key: string } | { keyId: string }): ReturnType<AuthRpc["resolveApiKey"]> {
    return this.withDatabaseResult(
      async (db) => {
        const key = await resolveApiKey(db, credential);
        return key ? { ok: true as const, value: key } : { ok: false as const, code: "invalid" as const };
      },
      { writesEvents: false },
    );
  }

  /** The external issuers the gateway may accept tokens from. */
  async trustedIssuers(): ReturnType<AuthRpc["trustedIssuers"]> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await listTrustedIssuers(db) }), {
      writesEvents: false,
    });
  }

  /** The local account behind an external token's subject, created on first sight. */
  async linkExternalSubject(
    input: Parameters<AuthRpc["linkExternalSubject"]>[0],
    correlationId: string,
  ): ReturnType<AuthRpc["linkExternalSubject"]> {
    return this.withDatabaseResult(async (db) => {
      const linked = await linkExternalSubject(db, input, { correlationId });
      return typeof linked === "string" ? { ok: false, code: linked } : { ok: true, value: linked };
    });
  }

  /** Asked by the gateway (through a short cache) for every request with one of our tokens. */
  async sessionEpoch(userId: string): ReturnType<AuthRpc["sessionEpoch"]> {
    try {
      return { ok: true, value: await this.sessions(userId).epoch() };
    } catch {
      return { ok: false, code: "unavailable" };
    }
  }

  /** Asked by the gateway (through the same short cache) instead of `sessionEpoch`: also the sessions logged out. */
  async sessionRevocations(userId: string): ReturnType<AuthRpc["sessionRevocations"]> {
    try {
      return { ok: true, value: await this.sessions(userId).revocations() };
    } catch {
      return { ok: false, code: "unavailable" };
    }
  }

  async changeAccount(
    userId: string,
    changes: Parameters<AuthRpc["changeAccount"]>[1],
    correlationId: string,
  ): ReturnType<AuthRpc["changeAccount"]> {
    return this.withDatabaseResult(async (db) => {
      const account = await changeAccount(db, userId, changes, { correlationId });
      if (!account) return { ok: false, code: "not_found" };
      if (account.status === "disabled") await this.sessions(userId).revokeAll("disabled");
      // Tokens carry roles: after any change of roles the ones already issued are void (a
      // refresh issues one with the new roles), so a demotion takes effect at once.
      else if (changes.roles) await this.sessions(userId).raiseEpoch();
      return { ok: true, value: await this.describe(account) };
    });
  }

  async exportAccount(userId: string): ReturnType<AuthRpc["exportAccount"]> {
    return this.withDatabaseResult(
      async (db) => {
        const account = await findAccountById(db, userId);
        return account ? { ok: true, value: await this.describe(account) } : { ok: false, code: "not_found" };
      },
      { writesEvents: false },
    );
  }

  /** Where the notifications worker sends this account's mail. */
  async mailRecipient(userId: string): ReturnType<AuthRpc["mailRecipient"]> {
    return this.withDatabaseResult(
      async (db) => {
        const recipient = await findMailRecipient(db, userId);
        return recipient ? { ok: true, value: recipient } : { ok: false, code: "not_found" };
      },
      { writesEvents: false },
    );
  }

  /** Many accounts by id or address at once (the courses worker's enrollment import). */
  async findAccounts(query: Parameters<AuthRpc["findAccounts"]>[0]): ReturnType<AuthRpc["findAccounts"]> {
    return this.withDatabaseResult(
      async (db) => {
        const found = await findAccounts(db, query);
        return found === "too_many" ? { ok: false, code: "too_many" } : { ok: true, value: found };
      },
      { writesEvents: false },
    );
  }

  async eraseAccount(userId: string, correlationId: string): ReturnType<AuthRpc["eraseAccount"]> {
    return this.withDatabaseResult(async (db) => {
      const erased = await eraseAccount(db, userId, { correlationId });
      if (!erased) return { ok: false, code: "not_found" };
      await this.sessions(userId).revokeAll("erased");
      return { ok: true, value: null };
    });
  }

  /**
   * Signs a certificate's credential as the platform (the progress worker asks). Answers
   * `unavailable`, not a throw, when the keys cannot be read: the caller retries later.
   */
  async signCredential(credential: Parameters<AuthRpc["signCredential"]>[0]): ReturnType<AuthRpc["signCredential"]> {
    try {
      return await signCredential({ privateKeys: this.env.JWT_PRIVATE_KEYS, issuer: this.env.JWT_ISSUER }, credential);
    } catch (error) {
      logLine("error", "auth", "signing a credential failed", { error: errorText(error) });
      return { ok: false, code: "unavailable" };
    }
  }

  private sessions(userId: string) {
    return this.env.SESSIONS.get(this.env.SESSIONS.idFromName(userId));
  }

  private async describe(account: Account) {
    return {
      id: account.id,
      email: account.email,
      roles: account.roles,
      status: account.status,
      createdAt: account.createdAt.toISOString(),
      liveSessions: await this.sessions(account.id).liveSessions(),
    };
  }
}
