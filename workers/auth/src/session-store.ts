import { DurableObject } from "cloudflare:workers";
import { hashRefreshToken, newRefreshToken, parseRefreshToken } from "./refresh-token-format.ts";

/** A refresh-token family lives at most this long from sign-in, however often it is used. */
export const FAMILY_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export const HANDOFF_TTL_MS = 60 * 1000;

export type RotateResult =
  | { ok: true; value: { token: string; familyId: string } }
  | { ok: false; code: "invalid" | "reused" | "revoked" | "expired" };

/**
 * One per user (named by the user id): that user's refresh-token families, strongly consistent.
 * Every refresh rotates the token; a token that was already rotated away coming back means it
 * was stolen (or raced), so the whole family is revoked. A Durable Object handles one call at a
 * time, so two concurrent refreshes with the same token cannot both win.
 */
export class SessionStore extends DurableObject {
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
      create table if not exists rotated (hash text primary key, family_id text not null);
      create table if not exists handoffs (hash text primary key, payload text not null, expires_at integer not null);
    `);
  }

  /** Starts a family at sign-in and returns its first refresh token. */
  async open(userId: string, now = Date.now()): Promise<{ token: string; familyId: string }> {
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
    return { token, familyId };
  }

  async rotate(token: string, now = Date.now()): Promise<RotateResult> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return { ok: false, code: "invalid" };
    const hash = await hashRefreshToken(token);
    const next = newRefreshToken(parsed.userId, parsed.familyId);
    const nextHash = await hashRefreshToken(next);
    // From here on nothing is awaited: a Durable Object only interleaves calls at an await, so
    // this check-and-swap is atomic and a concurrent refresh with the same token sees it rotated.
    const family = this.sql
      .exec<{ id: string; current_hash: string; expires_at: number; revoked_at: number | null }>(
        "select id, current_hash, expires_at, revoked_at from families where id = ?",
        parsed.familyId,
      )
      .toArray()[0];
    if (!family) return { ok: false, code: "invalid" };
    if (family.revoked_at !== null) return { ok: false, code: "revoked" };
    if (family.expires_at <= now) return { ok: false, code: "expired" };
    if (family.current_hash !== hash) {
      const wasRotated = this.sql.exec("select 1 from rotated where hash = ?", hash).toArray().length > 0;
      if (wasRotated) {
        this.revokeFamily(family.id, "reuse-detected", now);
        return { ok: false, code: "reused" };
      }
      return { ok: false, code: "invalid" };
    }
    this.sql.exec("insert into rotated (hash, family_id) values (?, ?)", hash, family.id);
    this.sql.exec("update families set current_hash = ? where id = ?", nextHash, family.id);
    return { ok: true, value: { token: next, familyId: family.id } };
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

  /** Ends every session of the user (logout everywhere, disable, erasure). Returns how many were live. */
  async revokeAll(reason: string, now = Date.now()): Promise<number> {
    const live = this.sql
      .exec<{ n: number }>("select count(*) as n from families where revoked_at is null and expires_at > ?", now)
      .one().n;
    this.sql.exec("update families set revoked_at = ?, revoked_reason = ? where revoked_at is null", now, reason);
    return live;
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

  private revokeFamily(familyId: string, reason: string, now: number): void {
    this.sql.exec(
      "update families set revoked_at = ?, revoked_reason = ? where id = ? and revoked_at is null",
      now,
      reason,
      familyId,
    );
  }

  private async scheduleCleanup(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Forgets families that can no longer be used, so the store does not grow forever. */
  override async alarm(): Promise<void> {
    const now = Date.now();
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
