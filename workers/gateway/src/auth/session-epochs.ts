import type { AuthRpc } from "@platform/contracts";

/**
 * The users' session epochs (see `SESSION_EPOCH_CLAIM`), asked of the auth worker, which asks the
 * user's SessionStore, and kept per isolate for `MAX_AGE_MS`. That age bounds how long an access
 * token keeps working after its sessions were ended or its roles changed: a request is refused
 * at most `MAX_AGE_MS` (plus one RPC) after the epoch rose. Concurrent requests of one user share
 * one lookup. The map is bounded: an isolate serving many users drops its oldest entries.
 */
export const EPOCH_MAX_AGE_MS = 2_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly epoch: Promise<number>;
  readonly fetchedAt: number;
}

const epochs = new Map<string, Entry>();

export class EpochUnavailableError extends Error {
  constructor() {
    super("the auth service could not tell the session epoch");
    this.name = "EpochUnavailableError";
  }
}

async function ask(auth: Pick<AuthRpc, "sessionEpoch">, userId: string): Promise<number> {
  const result = await auth.sessionEpoch(userId);
  if (!result.ok) throw new EpochUnavailableError();
  return result.value;
}

export function sessionEpochOf(auth: Pick<AuthRpc, "sessionEpoch">, userId: string, now = Date.now()): Promise<number> {
  const cached = epochs.get(userId);
  if (cached && now - cached.fetchedAt <= EPOCH_MAX_AGE_MS) return cached.epoch;
  const epoch = ask(auth, userId);
  // A failed lookup is not remembered: the next request asks again.
  epoch.catch(() => {
    if (epochs.get(userId)?.epoch === epoch) epochs.delete(userId);
  });
  epochs.delete(userId);
  epochs.set(userId, { epoch, fetchedAt: now });
  if (epochs.size > MAX_ENTRIES) {
    const oldest = epochs.keys().next().value;
    if (oldest !== undefined) epochs.delete(oldest);
  }
  return epoch;
}

/** For the bench and tests: start from a cold cache. */
export function forgetEpochs(): void {
  epochs.clear();
}
