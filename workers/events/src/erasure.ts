import { and, inArray, ne, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { consumeOnce, type ConsumeOutcome } from "@platform/db";
import type { EventData, EventEnvelope, EventType } from "@platform/events";
import { logLine } from "@platform/http-kit";
import type { Database, Queryable } from "./db/database.ts";
import { deadLetters, erasedUsers, feed, processedEvents, webhookDeliveries } from "./db/schema.ts";

/**
 * Erasure in the event router's own tables. Its dead letters and its event feed keep whole event
 * bodies (a USER_CREATED holds the email and name), so USER_DELETED deletes every dead letter and
 * every feed entry about the erased person (the USER_DELETED itself stays in the feed: it is what
 * tells a feed reader to forget them), and a tombstone keeps out those that come after it. Deleted rather than cut down
 * to their public form: no replay of them could be right any more. A public USER_CREATED is not
 * a valid event (it would only die again), and any other event about the person, replayed to
 * subscribers that have erased them, would bring back what the erasure removed (a grant, a
 * notice, progress). The event itself, if still undelivered, is in its producer's outbox.
 */

/** What the router applies itself, beside handing every event on (`SUBSCRIPTIONS` lists the other workers). */
export const ROUTER_CONSUMES: readonly EventType[] = ["USER_DELETED"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whom a dead letter's body is about: the account in its `data.userId` (every catalogue event about
 * a learner, an account, a purchase, a subscription or a notice has one), and the account its
 * aggregate key starts with (`<user>` or `<user>:<course>`), which also catches a malformed body
 * that lost its `userId`. A course's author (`authorId`) is not its subject: the course stays after
 * the author's erasure (docs/identity.md), and so do its events. `subjectCondition` is the same rule in SQL.
 */
export function subjectsOf(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const fromData = isRecord(body.data) ? body.data.userId : undefined;
  const fromKey = typeof body.aggregateId === "string" ? body.aggregateId.split(":")[0] : undefined;
  const ids = [fromData, fromKey].filter((id): id is string => typeof id === "string" && UUID.test(id));
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

const subjectCondition = (body: AnyColumn | SQL, userId: string) =>
  or(
    sql`lower(${body} -> 'data' ->> 'userId') = ${userId}`,
    sql`lower(split_part(${body} ->> 'aggregateId', ':', 1)) = ${userId}`,
  );

/**
 * Serialises the erasure of one account with the recording of a dead letter about it, so that a
 * dead letter committed while USER_DELETED runs is either deleted by it or sees its tombstone.
 * Taken in ascending id order by whoever takes several, so two recorders never deadlock.
 */
async function lockSubject(tx: Queryable, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`events:erasure:${userId}`}, 0))`);
}

/**
 * Locks the accounts a dead letter is about (see `lockSubject`) and answers whether any of them
 * was erased: the recorder then keeps nothing. Call inside the recording transaction.
 */
export async function lockAndCheckErased(tx: Queryable, subjects: readonly string[]): Promise<boolean> {
  if (subjects.length === 0) return false;
  for (const userId of [...subjects].sort()) await lockSubject(tx, userId);
  const rows = await tx
    .select({ userId: erasedUsers.userId })
    .from(erasedUsers)
    .where(inArray(erasedUsers.userId, [...subjects]))
    .limit(1);
  return rows.length > 0;
}

/**
 * Locks the accounts some events are about (see `lockSubject`) and answers which of them were
 * erased, so the feed appender can leave their events out. Call inside the appending transaction.
 */
export async function lockAndFindErased(tx: Queryable, subjects: readonly string[]): Promise<Set<string>> {
  if (subjects.length === 0) return new Set();
  const sorted = [...new Set(subjects)].sort();
  for (const userId of sorted) await lockSubject(tx, userId);
  const rows = await tx
    .select({ userId: erasedUsers.userId })
    .from(erasedUsers)
    .where(inArray(erasedUsers.userId, sorted));
  return new Set(rows.map((row) => row.userId.toLowerCase()));
}

/**
 * Deletes the feed entries about the account (the same subjects as its dead letters), all but the
 * USER_DELETED events, which carry only the id and are how a feed reader learns of the erasure.
 * Call with the account's lock held (`eraseDeadLettersOf` takes it). Answers how many went.
 */
export async function eraseFeedOf(tx: Queryable, userId: string): Promise<number> {
  const deleted = await tx
    .delete(feed)
    .where(and(subjectCondition(feed.envelope, userId.toLowerCase()), ne(feed.type, "USER_DELETED")))
    .returning({ seq: feed.seq });
  if (deleted.length > 0) logLine("info", "events", "feed entries erased", { count: deleted.length });
  return deleted.length;
}

/**
 * Deletes the webhook deliveries about the account (their payload is the event's, so the same
 * subjects), sent or not, with their attempts: a pending one is never sent. Call with the lock held.
 */
export async function eraseWebhookDeliveriesOf(tx: Queryable, userId: string): Promise<number> {
  const deleted = await tx
    .delete(webhookDeliveries)
    .where(
      and(
        subjectCondition(sql`${webhookDeliveries.payload}::jsonb`, userId.toLowerCase()),
        ne(webhookDeliveries.eventType, "USER_DELETED"),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  if (deleted.length > 0) logLine("info", "events", "webhook deliveries erased", { count: deleted.length });
  return deleted.length;
}

/** Tombstones the account and deletes the dead letters about it; answers how many went. */
export async function eraseDeadLettersOf(tx: Queryable, userId: string): Promise<number> {
  const id = userId.toLowerCase();
  await lockSubject(tx, id);
  await tx.insert(erasedUsers).values({ userId: id }).onConflictDoNothing();
  const deleted = await tx
    .delete(deadLetters)
    .where(subjectCondition(deadLetters.body, id))
    .returning({ eventId: deadLetters.eventId, eventType: deadLetters.eventType });
  if (deleted.length > 0) {
    // Event ids and types only: enough to trace what the erasure took, nothing about the person.
    logLine("info", "events", "dead letters erased", { count: deleted.length, deadLetters: deleted });
  }
  return deleted.length;
}

/** USER_DELETED, once per event (the dedupe mark and the deletion commit together). */
export async function applyUserDeleted(
  db: Database,
  event: EventEnvelope<"USER_DELETED", EventData<"USER_DELETED">>,
): Promise<ConsumeOutcome> {
  return consumeOnce(db, processedEvents, event, async (tx) => {
    await eraseDeadLettersOf(tx, event.data.userId);
    await eraseFeedOf(tx, event.data.userId);
    await eraseWebhookDeliveriesOf(tx, event.data.userId);
  });
}
