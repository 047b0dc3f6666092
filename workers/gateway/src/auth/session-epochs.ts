import type { AuthRpc, SessionRevocations } from "@platform/contracts";

/**
 * The users' session epochs (see `SESSION_EPOCH_CLAIM`) and the sessions they logged out singly
 * (see `SESSION_ID_CLAIM`), asked of the auth worker, which asks the user's SessionStore, in one
 * lookup, and kept per isolate for `MAX_AGE_MS`. That age bounds how long an access token keeps
 * working after its sessions were ended, its own session logged out or its roles changed: a
 * request is refused at most `MAX_AGE_MS` (plus one RPC) after the change. Concurrent requests of one user share
 * one lookup. The map is bounded: an isolate serving many users drops its oldest entries.
 */
export const EPOCH_MAX_AGE_MS = 2_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly revocations: Promise<SessionRevocations>;
  readonly fetchedAt: number;
}

const epochs = new Map<string, Entry>();

export class EpochUnavailableError extends Error {
  constructor() {
    super("the auth service could not tell the session epoch");
    this.name = "EpochUnavailableError";
  }
}

async function ask(auth: Pick<AuthRpc, "sessionRevocations">, userId: string): Promise<SessionRevocations> {
  const result = await auth.sessionRevocations(userId);
  if (!result.ok) throw new EpochUnavailableError();
  return result.value;
}

export function sessionRevocationsOf(
  auth: Pick<AuthRpc, "sessionRevocations">,
  userId: string,
  now = Date.now(),
): Promise<SessionRevocations> {
  const cached = epochs.get(userId);
  if (cached && now - cached.fetchedAt <= EPOCH_MAX_AGE_MS) return cached.revocations;
  const revocations = ask(auth, userId);
  // A failed lookup is not remembered: the next request asks again.
  revocations.catch(() => {
    if (epochs.get(userId)?.revocations === revocations) epochs.delete(userId);
  });
  epochs.delete(userId);
  epochs.set(userId, { revocations, fetchedAt: now });
  if (epochs.size > MAX_ENTRIES) {
    const oldest = epochs.keys().next().value;
    if (oldest !== undefined) epochs.delete(oldest);
  }
  return revocations;
}

/** For the bench and tests: start from a cold cache. */
export function forgetEpochs(): void {
  epochs.clear();
}
