import type { UsersRpc } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import { authorNameSlot, type KnownName } from "./cache/author-cache.ts";
import type { CacheOutcome, CacheStore } from "./cache/versioned-cache.ts";

/** What this service asks the users service: only the name a person goes by. */
export type LearnerNames = Pick<UsersRpc, "learnerName">;

export interface InstructorName extends KnownName {
  readonly cache: CacheOutcome;
}

/**
 * Asks the users service. A name, or `not_found` (the account was erased: no name, for good), is
 * settled and worth keeping; `pending` (the profile is not made yet), `unavailable` or a failed
 * call leave the name out this once, and the next read asks again. A course's outline never fails
 * for want of its author's name.
 */
async function askUsers(users: LearnerNames, authorId: string): Promise<{ name: string | null; settled: boolean }> {
  try {
    const answer = await users.learnerName(authorId);
    if (answer.ok) return { name: answer.value, settled: true };
    return { name: null, settled: answer.code === "not_found" };
  } catch (error) {
    logLine("warn", "courses", "the users service did not tell an instructor's name", {
      authorId,
      error: errorText(error),
    });
    return { name: null, settled: false };
  }
}

/**
 * The name a course's author goes by, through the shared cache (cache/author-cache.ts); `keep`
 * receives the cache write (for `waitUntil`).
 */
export async function instructorName(
  users: LearnerNames,
  kv: CacheStore,
  authorId: string,
  keep: (write: Promise<void>) => void,
  now = Date.now(),
): Promise<InstructorName> {
  const slot = await authorNameSlot(kv, authorId, now);
  if (slot.value) return { name: slot.value.name, cache: "hit" };
  const { name, settled } = await askUsers(users, authorId);
  if (settled) keep(slot.fill({ name }));
  return { name, cache: "miss" };
}
