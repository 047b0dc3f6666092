import { LIVE_LIMITS } from "@platform/contracts";

/** How far the gateway's clock may lag the hub's without a spent nonce being forgotten too early. */
const CLOCK_SLACK_SECONDS = 300;

/**
 * A learner's hub's own SQLite: the latest messages, as the frames that were sent (so a replay sends the same
 * bytes), and the ticket nonces already spent. Every call is synchronous, so a check and the write that follows
 * it can never interleave with another request to the same hub.
 */
export class HubStorage {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`
      CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, frame TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS spent_tickets (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS spent_tickets_expiry ON spent_tickets (expires_at);
    `);
  }

  /** The latest sequence number (0 before the first message). The newest row is never pruned. */
  lastSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages").one();
    return row.seq ?? 0;
  }

  oldestSeq(): number | null {
    return this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM messages").one().seq;
  }

  /** Keeps the frame and forgets what falls out of the window. */
  append(seq: number, frame: string): void {
    this.sql.exec("INSERT INTO messages (seq, frame) VALUES (?, ?)", seq, frame);
    this.sql.exec("DELETE FROM messages WHERE seq <= ?", seq - LIVE_LIMITS.retainedMessages);
  }

  /** Every kept frame after `after`, oldest first. */
  framesAfter(after: number): string[] {
    return this.sql
      .exec<{ frame: string }>("SELECT frame FROM messages WHERE seq > ? ORDER BY seq", after)
      .toArray()
      .map((row) => row.frame);
  }

  /**
   * Spends a ticket's nonce: true the first time, false ever after. A nonce is kept until well after its
   * ticket expired (the gateway refuses it by then), with room for the gateway's clock to lag this one's.
   */
  spendTicket(nonce: string, expiresAtSeconds: number, nowSeconds: number): boolean {
    this.forgetExpiredTickets(nowSeconds);
    const seen = this.sql.exec("SELECT 1 FROM spent_tickets WHERE nonce = ?", nonce).toArray().length > 0;
    if (seen) return false;
    this.sql.exec(
      "INSERT INTO spent_tickets (nonce, expires_at) VALUES (?, ?)",
      nonce,
      expiresAtSeconds + CLOCK_SLACK_SECONDS,
    );
    return true;
  }

  forgetExpiredTickets(nowSeconds: number): void {
    this.sql.exec("DELETE FROM spent_tickets WHERE expires_at < ?", nowSeconds);
  }

  hasSpentTickets(): boolean {
    return this.sql.exec("SELECT 1 FROM spent_tickets LIMIT 1").toArray().length > 0;
  }
}
