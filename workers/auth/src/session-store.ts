import { DurableObject } from "cloudflare:workers";
import { ACCESS_TOKEN_LIFETIME_SECONDS, type SessionRevocations } from "@platform/contracts";
import type { RotateResult, SessionStoreApi } from "./object-apis.ts";
import { hashRefreshToken, newRefreshToken, parseRefreshToken } from "./refresh-token-format.ts";

export type { RotateResult } from "./object-apis.ts";

/** A refresh-token family lives at most this long from sign-in, however often it is used. */
export const FAMILY_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export const HANDOFF_TTL_MS = 60 * 1000;

/**
 * How long a session ended on its own stays listed: as long as an access token issued just before
 * could still pass a check (its lifetime, plus the 30 s clock skew verifiers accept, plus margin).
 */
export const ENDED_SESSION_LISTED_MS = (ACCESS_TOKEN_LIFETIME_SECONDS + 60) * 1000;

/**
 * One per user (named by the user id): that user's refresh-token families and session epoch,
 * strongly consistent.
 *
 * Every refresh rotates the token. The same token presented again within `graceMs` of its
 * rotation, while its successor is still current, gets that same successor back: two tabs
 * refreshing at once both carry on. Anything else that presents a rotated-away token (a replay
 * after the window, or of an older token) means it was stolen, so the whole family is revoked.
 *
 * The epoch is a counter raised whenever all of the user's sessions end or their roles change;
 * access tokens carry the epoch they were issued in, and the gateway refuses older ones.
 *
 * A session ended on its own (logout, a replayed token) is listed in `ended_sessions` for
 * `ENDED_SESSION_LISTED_MS`: access tokens carry their session's id (`sid`), and the gateway
 * refuses listed ones. The list stays short: after that time no token of the session can pass.
 */
export class SessionStore extends DurableObject implements SessionStoreApi {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      create table if not exists families (
        id text primary key,
        current_hash text not null,
        created_at integer not null,
        expires_at integer not null,
        revoked_at integer,
        revoked_reason text
      );
      create table if not exists user_state (id integer primary key check (id = 1), epoch integer not null);
      create table if not exists rotated (hash text primary key, family_id text not null);
      create table if not exists handoffs (hash text primary key, payload text not null, expires_at integer not null);
      create table if not exists ended_sessions (id text primary key, ended_at integer not null);
    `);
    // The hash of the token rotated last and when: what the grace window for a raced refresh needs.
    const columns = this.sql.exec<{ name: string }>("select name from pragma_table_info('families')").toArray();
    if (!columns.some((column) => column.name === "previous_hash")) {
      this.sql.exec("alter table families add column previous_hash text");
      this.sql.exec("alter table families add column rotated_at integer");
    }
  }

  /** The user's session epoch: 0 until their sessions were first ended. */
  async epoch(): Promise<number> {
    return this.currentEpoch();
  }

  /** The epoch and the sessions ended singly whose access tokens could still be unexpired. */
  async revocations(now = Date.now()): Promise<SessionRevocations> {
    this.sql.exec("delete from ended_sessions where ended_at <= ?", now - ENDED_SESSION_LISTED_MS);
    const endedSessions = this.sql
      .exec<{ id: string }>("select id from ended_sessions order by ended_at")
      .toArray()
      .map((row) => row.id);
    return { epoch: this.currentEpoch(), endedSessions };
  }

  /** Voids every access token issued so far (roles changed) without ending the refresh sessions. */
  async raiseEpoch(): Promise<number> {
    const next = this.currentEpoch() + 1;
    this.sql.exec(
      "insert into user_state (id, epoch) values (1, ?) on conflict (id) do update set epoch = excluded.epoch",
      next,
    );
    return next;
  }

  private currentEpoch(): number {
    return this.sql.exec<{ epoch: number }>("select epoch from user_state where id = 1").toArray()[0]?.epoch ?? 0;
  }

  /** Starts a family at sign-in and returns its first refresh token. */
  async open(userId: string, now = Date.now()): Promise<{ token: string; familyId: string; epoch: number }> {
    const familyId = crypto.randomUUID();
    const token = newRefreshToken(userId, familyId);
    this.sql.exec(
      "insert into families (id, current_hash, created_at, expires_at) values (?, ?, ?, ?)",
      familyId,
      await hashRefreshToken(token),
      now,
      now + FAMILY_LIFETIME_MS,
    );
    await this.scheduleCleanup(now + FAMILY_LIFETIME_MS);
    return { token, familyId, epoch: this.currentEpoch() };
  }

  /**
   * Rotates `token` to `successor`. The caller derives the successor from the token with a key
   * only the worker holds (refresh-token-format.ts), so a raced second refresh brings the same
   * successor, and this store still keeps hashes only.
   */
  async rotate(
    token: string,
    successor: string,
    options: { graceMs: number },
    now = Date.now(),
  ): Promise<RotateResult> {
    const parsed = parseRefreshToken(token);
    if (!parsed || parseRefreshToken(successor)?.familyId !== parsed.familyId) return { ok: false, code: "invalid" };
    const hash = await hashRefreshToken(token);
    const nextHash = await hashRefreshToken(successor);
    // From here on nothing is awaited: a Durable Object only interleaves calls at an await, so
    // this check-and-swap is atomic and a concurrent refresh with the same token sees it rotated.
    const family = this.sql
      .exec<{
        id: string;
        current_hash: string;
        previous_hash: string | null;
        rotated_at: number | null;
        expires_at: number;
        revoked_at: number | null;
      }>(
        "select id, current_hash, previous_hash, rotated_at, expires_at, revoked_at from families where id = ?",
        parsed.familyId,
      )
      .toArray()[0];
    if (!family) return { ok: false, code: "invalid" };
    if (family.revoked_at !== null) return { ok: false, code: "revoked" };
    if (family.expires_at <= now) return { ok: false, code: "expired" };
    const success = { ok: true as const, value: { token: successor, familyId: family.id, epoch: this.currentEpoch() } };
    if (family.current_hash !== hash) {
      // The same token again, soon, and its successor not yet used: the same refresh raced itself.
      const raced =
        family.previous_hash === hash &&
        family.current_hash === nextHash &&
        family.rotated_at !== null &&
        now - family.rotated_at <= options.graceMs;
      if (raced) return success;
      const wasRotated = this.sql.exec("select 1 from rotated where hash = ?", hash).toArray().length > 0;
      if (wasRotated) {
        this.revokeFamily(family.id, "reuse-detected", now);
        return { ok: false, code: "reused" };
      }
      return { ok: false, code: "invalid" };
    }
    this.sql.exec("insert into rotated (hash, family_id) values (?, ?)", hash, family.id);
    this.sql.exec(
      "update families set current_hash = ?, previous_hash = ?, rotated_at = ? where id = ?",
      nextHash,
      hash,
      now,
      family.id,
    );
    return success;
  }

  /** Ends one session (logout). Only a current token of the family can end it. */
  async revokeByToken(token: string, now = Date.now()): Promise<boolean> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return false;
    const hash = await hashRefreshToken(token);
    const matches = this.sql
      .exec("select 1 from families where id = ? and current_hash = ? and revoked_at is null", parsed.familyId, hash)
      .toArray().length;
    if (matches === 0) return false;
    this.revokeFamily(parsed.familyId, "logout", now);
    return true;
  }

  /**
   * Ends every session of the user (logout everywhere, disable, erasure): every refresh family
   * is revoked and the epoch raised, so the access tokens already out are refused at the gateway
   * too. Returns how many sessions were live.
   */
  async revokeAll(reason: string, now = Date.now()): Promise<number> {
    const live = this.sql
      .exec<{ n: number }>("select count(*) as n from families where revoked_at is null and expires_at > ?", now)
      .one().n;
    this.sql.exec("update families set revoked_at = ?, revoked_reason = ? where revoked_at is null", now, reason);
    await this.raiseEpoch();
    return live;
  }

  /**
   * Ends every session but the one `keep` is the current refresh token of (a password change:
   * the other devices are signed out, the one that changed it is not), and raises the epoch so
   * the access tokens already out are refused, the caller's too: it gets a new one with the
   * returned epoch. When `keep` is not a live session of this user, every session ends.
   */
  async revokeAllExcept(
    keep: string | undefined,
    reason: string,
    now = Date.now(),
  ): Promise<{ kept: boolean; epoch: number }> {
    const parsed = keep === undefined ? undefined : parseRefreshToken(keep);
    const hash = keep === undefined ? undefined : await hashRefreshToken(keep);
    // Nothing is awaited from here on: the check and the revocation are one step for this object.
    const kept =
      parsed !== undefined &&
      this.sql
        .exec(
          "select 1 from families where id = ? and current_hash = ? and revoked_at is null and expires_at > ?",
          parsed.familyId,
          hash,
          now,
        )
        .toArray().length > 0;
    this.sql.exec(
      "update families set revoked_at = ?, revoked_reason = ? where revoked_at is null and id <> ?",
      now,
      reason,
      kept && parsed ? parsed.familyId : "",
    );
    return { kept, epoch: await this.raiseEpoch() };
  }

  async liveSessions(now = Date.now()): Promise<number> {
    return this.sql
      .exec<{ n: number }>("select count(*) as n from families where revoked_at is null and expires_at > ?", now)
      .one().n;
  }

  /**
   * A one-time code for handing a freshly issued token pair to the site after an external
   * sign-in, so tokens never travel in a redirect URL. Valid once, for `HANDOFF_TTL_MS`.
   */
  async createHandoff(userId: string, payload: string, now = Date.now()): Promise<string> {
    const code = newRefreshToken(userId, crypto.randomUUID()).replace(/^rt1\./, "ho1.");
    this.sql.exec(
      "insert into handoffs (hash, payload, expires_at) values (?, ?, ?)",
      await hashRefreshToken(code),
      payload,
      now + HANDOFF_TTL_MS,
    );
    return code;
  }

  async redeemHandoff(code: string, now = Date.now()): Promise<string | undefined> {
    const hash = await hashRefreshToken(code);
    const row = this.sql
      .exec<{ payload: string; expires_at: number }>("select payload, expires_at from handoffs where hash = ?", hash)
      .toArray()[0];
    this.sql.exec("delete from handoffs where hash = ? or expires_at <= ?", hash, now);
    return row && row.expires_at > now ? row.payload : undefined;
  }

  /** Ends one family, and lists it so the access tokens issued for it are refused too. */
  private revokeFamily(familyId: string, reason: string, now: number): void {
    this.sql.exec(
      "update families set revoked_at = ?, revoked_reason = ? where id = ? and revoked_at is null",
      now,
      reason,
      familyId,
    );
    this.sql.exec("insert into ended_sessions (id, ended_at) values (?, ?) on conflict (id) do nothing", familyId, now);
  }

  private async scheduleCleanup(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Forgets families that can no longer be used, so the store does not grow forever. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec("delete from ended_sessions where ended_at <= ?", now - ENDED_SESSION_LISTED_MS);
    const dead = this.sql
      .exec<{ id: string }>(
        "select id from families where expires_at <= ? or revoked_at < ?",
        now,
        now - FAMILY_LIFETIME_MS,
      )
      .toArray()
      .map((row) => row.id);
    for (const id of dead) {
      this.sql.exec("delete from rotated where family_id = ?", id);
      this.sql.exec("delete from families where id = ?", id);
    }
    const next = this.sql.exec<{ at: number | null }>("select min(expires_at) as at from families").one().at;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }
}
