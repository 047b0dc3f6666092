/** When each failed sign-in may be followed by the next attempt (pure, so it is easy to test). */
export const FREE_FAILURES = 3;
export const LOCK_AFTER = 10;
export const LOCK_MS = 15 * 60 * 1000;
export const MAX_DELAY_MS = 60 * 1000;
export const CLIENT_WINDOW_MS = 15 * 60 * 1000;
export const CLIENT_MAX_FAILURES = 100;

export function delayAfter(failures: number): number {
  if (failures >= LOCK_AFTER) return LOCK_MS;
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
}
