import { DurableObject } from "cloudflare:workers";
import type { LoginThrottleApi, ThrottleVerdict } from "./object-apis.ts";
import { delayAfter, scheduleFrom, type ThrottleSchedule, type ThrottleVars } from "./throttle-schedule.ts";

/**
 * Failed-login throttling, one Durable Object per key (strongly consistent, unlike KV):
 *
 *  - `pair:<email>|<client>` — one account from one client. The first few failures are free, then
 *    each one doubles the wait before the next attempt; after `LOCK_AFTER` failures the pair is
 *    locked for `LOCK_MS`. Keyed by the pair, so an attacker hammering a victim's account from
 *    their own client locks only themselves out: the victim, from another client, still signs in.
 *  - `client:<client>` — one client across all accounts (credential stuffing). A rolling window.
 *
 * Keys are built from the submitted email whether or not an account exists, so throttling
 * reveals nothing about which emails are registered.
 */
export type { ThrottleVerdict } from "./object-apis.ts";

interface PairState {
  failures: number;
  blockedUntil: number;
}

interface ClientState {
  windowStart: number;
  failures: number;
}

export class LoginThrottle extends DurableObject<ThrottleVars> implements LoginThrottleApi {
  private readonly schedule: ThrottleSchedule = scheduleFrom(this.env);

  private blockedVerdict(until: number, now: number): ThrottleVerdict {
    return until > now ? { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000) } : { allowed: true };
  }

  async checkPair(now = Date.now()): Promise<ThrottleVerdict> {
    const state = await this.ctx.storage.get<PairState>("pair");
    return state ? this.blockedVerdict(state.blockedUntil, now) : { allowed: true };
  }

  async failPair(now = Date.now()): Promise<ThrottleVerdict> {
    const state = (await this.ctx.storage.get<PairState>("pair")) ?? { failures: 0, blockedUntil: 0 };
    // A lock that has expired starts the count again.
    const failures = state.failures >= this.schedule.lockAfter && state.blockedUntil <= now ? 1 : state.failures + 1;
    const next: PairState = { failures, blockedUntil: now + delayAfter(failures, this.schedule) };
    await this.ctx.storage.put("pair", next);
    await this.expireAt(now + this.schedule.lockMs + this.schedule.maxDelayMs);
    const verdict = this.blockedVerdict(next.blockedUntil, now);
    return failures === this.schedule.lockAfter && !verdict.allowed ? { ...verdict, lockedOut: true } : verdict;
  }

  async resetPair(): Promise<void> {
    await this.ctx.storage.delete("pair");
  }

  async checkClient(now = Date.now()): Promise<ThrottleVerdict> {
    const state = await this.ctx.storage.get<ClientState>("client");
    if (!state || state.windowStart + this.schedule.clientWindowMs <= now) return { allowed: true };
    return state.failures >= this.schedule.clientMaxFailures
      ? this.blockedVerdict(state.windowStart + this.schedule.clientWindowMs, now)
      : { allowed: true };
  }

  async failClient(now = Date.now()): Promise<void> {
    const state = await this.ctx.storage.get<ClientState>("client");
    const fresh = !state || state.windowStart + this.schedule.clientWindowMs <= now;
    await this.ctx.storage.put<ClientState>(
      "client",
      fresh ? { windowStart: now, failures: 1 } : { windowStart: state.windowStart, failures: state.failures + 1 },
    );
    await this.expireAt(now + this.schedule.clientWindowMs);
  }

  private async expireAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current < at) await this.ctx.storage.setAlarm(at);
  }

  /** Nothing to remember once every window and lock has passed. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
