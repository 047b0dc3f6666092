/** When each failed sign-in may be followed by the next attempt (pure, so it is easy to test). */
export interface ThrottleSchedule {
  /** Failures that cost nothing (typos). */
  readonly freeFailures: number;
  /** The failure that locks the (account, client) pair. */
  readonly lockAfter: number;
  readonly lockMs: number;
  /** The longest wait between attempts before the lock. */
  readonly maxDelayMs: number;
  /** One client's failures across accounts are counted per window… */
  readonly clientWindowMs: number;
  /** …and it is blocked for the rest of the window after this many. */
  readonly clientMaxFailures: number;
}

export const FREE_FAILURES = 3;
export const LOCK_AFTER = 10;
export const LOCK_MS = 15 * 60 * 1000;
export const MAX_DELAY_MS = 60 * 1000;
export const CLIENT_WINDOW_MS = 15 * 60 * 1000;
export const CLIENT_MAX_FAILURES = 100;

export const DEFAULT_SCHEDULE: ThrottleSchedule = {
  freeFailures: FREE_FAILURES,
  lockAfter: LOCK_AFTER,
  lockMs: LOCK_MS,
  maxDelayMs: MAX_DELAY_MS,
  clientWindowMs: CLIENT_WINDOW_MS,
  clientMaxFailures: CLIENT_MAX_FAILURES,
};

/** Optional wrangler vars that shorten the schedule (the tests watch a lock expire this way). */
export interface ThrottleVars {
  readonly LOGIN_LOCK_AFTER?: string;
  readonly LOGIN_LOCK_SECONDS?: string;
  readonly LOGIN_MAX_DELAY_SECONDS?: string;
}

const positive = (value: string | undefined) => {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number > 0 ? number : undefined;
};

export function scheduleFrom(vars: ThrottleVars): ThrottleSchedule {
  const lockAfter = positive(vars.LOGIN_LOCK_AFTER);
  const lockSeconds = positive(vars.LOGIN_LOCK_SECONDS);
  const maxDelaySeconds = positive(vars.LOGIN_MAX_DELAY_SECONDS);
  return {
    ...DEFAULT_SCHEDULE,
    ...(lockAfter !== undefined && lockAfter > FREE_FAILURES && { lockAfter: Math.floor(lockAfter) }),
    ...(lockSeconds !== undefined && { lockMs: lockSeconds * 1000 }),
    ...(maxDelaySeconds !== undefined && { maxDelayMs: maxDelaySeconds * 1000 }),
  };
}

export function delayAfter(failures: number, schedule: ThrottleSchedule = DEFAULT_SCHEDULE): number {
  if (failures >= schedule.lockAfter) return schedule.lockMs;
  if (failures < schedule.freeFailures) return 0;
  return Math.min(1000 * 2 ** (failures - schedule.freeFailures), schedule.maxDelayMs);
}
