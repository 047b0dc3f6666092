/**
 * An exact sliding window: at most `limit` admitted requests in any `windowMs` interval. The
 * caller keeps the times of admitted requests; refused requests are not counted, so a client
 * that keeps knocking still gets exactly `limit` per window and no more.
 */
export interface WindowRule {
  readonly limit: number;
  readonly windowMs: number;
}

export type WindowVerdict =
  { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * Decides one request given the times (ms) of earlier admitted ones. When refused,
 * `retryAfterMs` is exactly when enough of them will have left the window to admit one more.
 */
export function decide(admittedAt: readonly number[], now: number, rule: WindowRule): WindowVerdict {
  const live = admittedAt.filter((at) => at > now - rule.windowMs).sort((a, b) => a - b);
  if (live.length < rule.limit) return { allowed: true, remaining: rule.limit - live.length - 1 };
  // Admitting one more needs all but limit - 1 of the live ones gone: wait for the one at that rank.
  const freeing = live[live.length - rule.limit] ?? now;
  return { allowed: false, retryAfterMs: Math.max(1, freeing + rule.windowMs - now) };
}
