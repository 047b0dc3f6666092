import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { QueueProducer } from "@platform/db";
import type { Database } from "./db/database.ts";
import { deadLetters, deliveryFailures } from "./db/schema.ts";
import { lockAndCheckErased, subjectsOf } from "./erasure.ts";

export type DeadLetter = typeof deadLetters.$inferSelect;

/** Whatever the body is (even not JSON we understand), it is kept; its id and type when it has them. */
function describe(body: unknown): { eventId: string | null; eventType: string | null } {
  if (typeof body !== "object" || body === null) return { eventId: null, eventType: null };
  const { id, type } = body as { id?: unknown; type?: unknown };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return {
    eventId: typeof id === "string" && uuid.test(id) ? id : null,
    eventType: typeof type === "string" ? type.slice(0, 64) : null,
  };
}

/** Recorded, or not kept because the person it is about was erased (see erasure.ts). */
export type RecordOutcome = "recorded" | "erased";

/**
 * Keeps a dead letter, with the last failure the router noted for its event as the reason (moved
 * here from `delivery_failures` in the same transaction). A body that was not an event says so.
 * A body about an erased account is not kept (its failure note goes all the same): it would
 * hold what the erasure removed, and no replay of it could be right.
 */
export async function recordDeadLetter(
  db: Database,
  message: { id: string; body: unknown; attempts: number },
): Promise<RecordOutcome> {
  const described = describe(message.body);
  return db.transaction(async (tx) => {
    const [failure] = described.eventId
      ? await tx
          .delete(deliveryFailures)
          .where(eq(deliveryFailures.eventId, described.eventId))
          .returning({ lastError: deliveryFailures.lastError })
      : [];
    if (await lockAndCheckErased(tx, subjectsOf(message.body))) return "erased";
    const reason = failure?.lastError ?? (described.eventId ? null : "not a platform event envelope");
    await tx
      .insert(deadLetters)
      .values({
        id: uuidv7(),
        messageId: message.id,
        body: message.body ?? null,
        attempts: message.attempts,
        reason,
        ...described,
      })
      .onConflictDoNothing({ target: deadLetters.messageId });
    return "recorded";
  });
}

export interface DeadLetterPage {
  readonly items: DeadLetter[];
  readonly nextCursor: string | null;
}

/** Newest first; ids are UUIDv7, so the last id of a page is a stable cursor. */
export async function listDeadLetters(
  db: Database,
  options: { cursor?: string; limit: number },
): Promise<DeadLetterPage> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(options.cursor ? lt(deadLetters.id, options.cursor) : undefined)
    .orderBy(desc(deadLetters.id))
    .limit(options.limit + 1);
  const items = rows.slice(0, options.limit);
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.id ?? null) : null };
}

/** One dead letter by its id, for an admin to read its body before replaying it. */
export async function findDeadLetter(db: Database, id: string): Promise<DeadLetter | undefined> {
  const [letter] = await db.select().from(deadLetters).where(eq(deadLetters.id, id)).limit(1);
  return letter;
}

/**
 * Sends a dead letter back to the Queue, for when its cause is fixed. The record stays (marked
 * replayed); if the message fails again it comes back as a new dead letter.
 */
export async function replayDeadLetter(
  db: Database,
  queue: QueueProducer,
  id: string,
): Promise<DeadLetter | undefined> {
  const [letter] = await db.select().from(deadLetters).where(eq(deadLetters.id, id)).limit(1);
  if (!letter) return undefined;
  await queue.sendBatch([{ body: letter.body, contentType: "json" }]);
  const [replayed] = await db
    .update(deadLetters)
    .set({ replayedAt: sql`now()` })
    .where(and(eq(deadLetters.id, id)))
    .returning();
  return replayed;
}

/** Dead letters nobody has replayed yet: the `events_dead_letters` gauge an alert watches. */
export async function countAwaitingDeadLetters(db: Database): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(deadLetters)
    .where(isNull(deadLetters.replayedAt));
  return row?.count ?? 0;
}
