import { WorkerEntrypoint } from "cloudflare:workers";
import { errorText, logLine } from "@platform/http-kit";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import type { AuthRpc } from "@platform/contracts";
import { databaseMiddleware, relayAfterWrites, relayThenClose, relayPendingEvents, openDatabase, serviceHealthHandler } from "@platform/db";
import { verifyAccessToken, type TokenCheck } from "./access-tokens.ts";
import { linkExternalSubject, listTrustedIssuers } from "./external-identities.ts";
import { changeAccount, eraseAccount, findAccountById, type Account } from "./accounts.ts";
import * as schema from "./db/schema.ts";
import { tokenSettings, type AuthBindings, type AuthEnv } from "./env.ts";
import { oidcSignInRoutes } from "./routes/oidc-sign-in.ts";
import { providerRoutes } from "./routes/providers.ts";
import { registerRoutes } from "./routes/register.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { wellKnownRoutes } from "./routes/well-known.ts";

export { SessionStore } from "./session-store.ts";
export { LoginThrottle } from "./login-throttle.ts";

const app = createApiApp<AuthEnv>({ service: "auth" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("auth", schema.outbox) }));
app.get("/health", serviceHealthHandler("auth"));
serveOpenApiDocument(app, {
  title: "Edge Learning: auth",
  version: "0.1.0",
  tags: [{ name: "auth", description: "Accounts, sign-in and sessions: access tokens and rotating refresh tokens" }],
});
app.route("/", registerRoutes);
app.route("/", sessionRoutes);
app.route("/", wellKnownRoutes);
app.route("/", providerRoutes);
app.route("/", oidcSignInRoutes);

export { app };

/** HTTP through the gateway, plus typed RPC for internal callers (result unions: RPC drops error classes). */
export default class AuthWorker extends WorkerEntrypoint<AuthBindings> implements AuthRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }

  /** The seed's `validateToken`: verifies one of our access tokens. */
  async validateToken(token: string): Promise<TokenCheck> {
    return verifyAccessToken(tokenSettings(this.env), token);
  }

  /** The external issuers the gateway may accept tokens from. */
  async trustedIssuers(): ReturnType<AuthRpc["trustedIssuers"]> {
    return this.withDatabase(async (db) => ({ ok: true, value: await listTrustedIssuers(db) }), { writesEvents: false });
  }

  /** The local account behind an external token's subject, created on first sight. */
  async linkExternalSubject(
    input: Parameters<AuthRpc["linkExternalSubject"]>[0],
    correlationId: string,
  ): ReturnType<AuthRpc["linkExternalSubject"]> {
    return this.withDatabase(async (db) => {
      const linked = await linkExternalSubject(db, input, { correlationId });
      return linked ? { ok: true, value: linked } : { ok: false, code: "unknown_issuer" };
    });
  }

  async changeAccount(
    userId: string,
    changes: Parameters<AuthRpc["changeAccount"]>[1],
    correlationId: string,
  ): ReturnType<AuthRpc["changeAccount"]> {
    return this.withDatabase(async (db) => {
      const account = await changeAccount(db, userId, changes, { correlationId });
      if (!account) return { ok: false, code: "not_found" };
      if (account.status === "disabled") await this.sessions(userId).revokeAll("disabled");
      return { ok: true, value: await this.describe(account) };
    });
  }

  async exportAccount(userId: string): ReturnType<AuthRpc["exportAccount"]> {
    return this.withDatabase(async (db) => {
      const account = await findAccountById(db, userId);
      return account ? { ok: true, value: await this.describe(account) } : { ok: false, code: "not_found" };
    }, { writesEvents: false });
  }

  async eraseAccount(userId: string, correlationId: string): ReturnType<AuthRpc["eraseAccount"]> {
    return this.withDatabase(async (db) => {
      const erased = await eraseAccount(db, userId, { correlationId });
      if (!erased) return { ok: false, code: "not_found" };
      await this.sessions(userId).revokeAll("erased");
      return { ok: true, value: null };
    });
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

  /** Runs RPC work on its own pool; work that may write events relays them after it answers. */
  private async withDatabase<T>(
    work: (db: ReturnType<typeof openDatabase<typeof schema>>["db"]) => Promise<T>,
    { writesEvents = true }: { writesEvents?: boolean } = {},
  ): Promise<T | { ok: false; code: "unavailable" }> {
    const handle = openDatabase(this.env, schema);
    try {
      return await work(handle.db);
    } catch (error) {
      logLine("error", "auth", "rpc failed", { error: errorText(error) });
      return { ok: false, code: "unavailable" };
    } finally {
      this.ctx.waitUntil(relayThenClose("auth", handle, schema.outbox, this.env.EVENTS_QUEUE, { writesEvents }));
    }
  }
}
