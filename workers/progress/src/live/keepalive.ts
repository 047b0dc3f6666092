/**
 * When a socket counts as vanished: nothing heard from it (a ping the runtime answered, or a frame) for one
 * and a half of the keepalive it chose, the slack MQTT gives for one late ping.
 */
export function keepaliveDeadline(lastHeardMs: number, keepaliveSeconds: number): number {
  return lastHeardMs + keepaliveSeconds * 1500;
}

/** The soonest an alarm is set: one alarm per second at most, however many sockets fall due together. */
export const MIN_ALARM_DELAY_MS = 1000;

/** When the next alarm should fire for these deadlines, or null when there is nothing to watch. */
export function nextAlarmAt(deadlines: readonly number[], nowMs: number): number | null {
  if (deadlines.length === 0) return null;
  return Math.max(Math.min(...deadlines), nowMs + MIN_ALARM_DELAY_MS);
}
