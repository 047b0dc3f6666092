import { newRefreshToken, parseRefreshToken } from "../../src/refresh-token-format.ts";

/**
 * The SESSIONS and LOGIN_THROTTLE Durable Object namespaces as the account routes reach them, in
 * memory (the real objects import `cloudflare:workers`, which Node cannot load). They keep what
 * was asked of them, so a routes test can see which sessions a change ended and that a wrong
 * password counted against the throttle. What the real objects then do with a refresh token is
 * proven against the running stack (account-sessions.platform.test.ts).
 */
export function sessionStandIns() {
  /** Per user: the live refresh tokens (one per family) and the epoch. */
  const users = new Map<string, { live: Set<string>; epoch: number; ended: string[] }>();
  const userState = (userId: string) => {
    let state = users.get(userId);
    if (!state) {
      state = { live: new Set(), epoch: 0, ended: [] };
      users.set(userId, state);
    }
    return state;
  };
  const store = (userId: string) => ({
    async open() {
      const token = newRefreshToken(userId, crypto.randomUUID());
      userState(userId).live.add(token);
      return { token, familyId: parseRefreshToken(token)?.familyId ?? "", epoch: userState(userId).epoch };
    },
    async revokeAll(reason: string) {
      const state = userState(userId);
      const live = state.live.size;
      state.live.clear();
      state.epoch += 1;
      state.ended.push(reason);
      return live;
    },
    async revokeAllExcept(keep: string | undefined, reason: string) {
      const state = userState(userId);
      const kept = keep !== undefined && state.live.has(keep);
      state.live = new Set(kept && keep ? [keep] : []);
      state.epoch += 1;
      state.ended.push(reason);
      return { kept, epoch: state.epoch };
    },
  });

  const throttles = new Map<string, { failures: number; resets: number }>();
  const throttle = (key: string) => {
    let state = throttles.get(key);
    if (!state) {
      state = { failures: 0, resets: 0 };
      throttles.set(key, state);
    }
    const counted = state;
    return {
      checkPair: async () => ({ allowed: true as const }),
      checkClient: async () => ({ allowed: true as const }),
      failPair: async () => {
        counted.failures += 1;
        return { allowed: true as const };
      },
      failClient: async () => {
        counted.failures += 1;
      },
      resetPair: async () => {
        counted.resets += 1;
      },
    };
  };

  return {
    SESSIONS: { idFromName: (name: string) => name, get: (userId: string) => store(userId) },
    LOGIN_THROTTLE: { idFromName: (name: string) => name, get: (key: string) => throttle(key) },
    /** Live sessions, epoch and why sessions were ended, per user. */
    sessionsOf: (userId: string) => userState(userId),
    /** Failed attempts counted against the (email, client) pair throttle for this email, any client. */
    failuresFor: (email: string) =>
      [...throttles.entries()]
        .filter(([key]) => key.startsWith(`pair:${email}|`))
        .reduce((sum, [, state]) => sum + state.failures, 0),
  };
}
