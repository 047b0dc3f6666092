import { DurableObject } from "cloudflare:workers";
import { decide, type WindowRule, type WindowVerdict } from "./sliding-window.ts";

/**
 * One object per client key (`user:<id>` or `ip:<address>`), never one for everyone: each client's
 * count is strongly consistent and one busy client cannot slow another down. It remembers when
 * each admitted request happened, per rule, only as long as the window lasts; when everything has
 * expired an alarm deletes the object's storage, so no address is kept longer than needed.
 */
export class ClientRateLimiter extends DurableObject {
  private schemaReady = false;

  private get sql(): SqlStorage {
    const sql = this.ctx.storage.sql;
    if (!this.schemaReady) {
      sql.exec(
        `CREATE TABLE IF NOT EXISTS admitted (rule TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
         CREATE INDEX IF NOT EXISTS admitted_by_rule ON admitted (rule, at);`,
      );
      this.schemaReady = true;
    }
    return sql;
  }

  /** Counts one request against `rule` if the window has room; calls for one key run one at a time. */
  async hit(rule: string, window: WindowRule): Promise<WindowVerdict> {
    const now = Date.now();
    const sql = this.sql;
    sql.exec("DELETE FROM admitted WHERE rule = ? AND at <= ?", rule, now - window.windowMs);
    const admittedAt = sql
      .exec<{ at: number }>("SELECT at FROM admitted WHERE rule = ?", rule)
      .toArray()
      .map((row) => row.at);
    const verdict = decide(admittedAt, now, window);
    if (verdict.allowed) {
      const expiresAt = now + window.windowMs;
      sql.exec("INSERT INTO admitted (rule, at, expires_at) VALUES (?, ?, ?)", rule, now, expiresAt);
      const alarm = await this.ctx.storage.getAlarm();
      if (alarm === null || alarm < expiresAt) await this.ctx.storage.setAlarm(expiresAt);
    }
    return verdict;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.sql;
    sql.exec("DELETE FROM admitted WHERE expires_at <= ?", now);
    const [latest] = sql.exec<{ last: number | null }>("SELECT max(expires_at) AS last FROM admitted").toArray();
    if (latest?.last) {
      await this.ctx.storage.setAlarm(latest.last);
      return;
    }
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
  }
}
