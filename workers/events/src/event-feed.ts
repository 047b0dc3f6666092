import { and, asc, gt, inArray, sql } from "drizzle-orm";
import { deleteBatches, olderThanDays, retentionDays, type PruneOptions } from "@platform/db";
import { topicOf, type EventType, type PlatformEvent } from "@platform/events";
import type { Database } from "./db/database.ts";
import { feed } from "./db/schema.ts";
import { lockAndFindErased, subjectsOf } from "./erasure.ts";
import { encodeFeedCursor } from "./feed-cursor.ts";
import { queueWebhookDeliveries } from "./webhooks/fan-out.ts";

/**
 * The event feed (docs/integrators.md#event-feed): every event the router delivered, once, in the
 * order the router recorded it, for integrators to back-fill from and replay from any point.
 *
 * "Commit order" here is the order in which the router appended events, which is close to, but
 * not exactly, the order their producers committed them: the Queue does not keep order, and an
 * event that needed retries comes later. What the feed does promise is that the order is stable:
 * a reader that has seen seq n never later finds a new row below n. Appends are serialised by one
 * advisory lock, so sequence numbers are drawn and committed in the same order; without it, a
 * batch that drew a lower seq could commit after a reader had already passed it.
 */

/** Who holds the right to append: one appender at a time (see above). */
const FEED_APPEND_LOCK = "events:feed:append";

export const DEFAULT_EVENT_FEED_RETENTION_DAYS = 30;

export interface EventFeedRetentionBindings {
  /** Days a feed entry is kept after the router recorded it (default 30). */
  readonly EVENT_FEED_RETENTION_DAYS?: string;
}

export function eventFeedRetentionDays(bindings: EventFeedRetentionBindings): number {
  return retentionDays(bindings.EVENT_FEED_RETENTION_DAYS, DEFAULT_EVENT_FEED_RETENTION_DAYS);
}

export interface FeedAppend {
  /** Rows added to the feed (a redelivered event adds none). */
  readonly added: number;
  /** The webhook deliveries the added events made (webhooks/fan-out.ts), for the caller to send after commit. */
  readonly webhookDeliveryIds: readonly string[];
}

/**
 * Appends the events of one Queue batch that every subscriber has applied, and in the same
 * transaction writes their webhook deliveries. A redelivered event (a retry, its producer's
 * re-send, a replayed dead letter) is already there and is not added again, nor delivered again.
 * An event about an erased person (one still going round when the erasure ran) is left out, except
 * USER_DELETED itself, which carries only the id and is how feed readers learn of the erasure.
 * Throws if the database fails: the caller then does not confirm the events, and their producers
 * send them again.
 */
export async function appendToFeed(db: Database, events: readonly PlatformEvent[]): Promise<FeedAppend> {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  const nothing: FeedAppend = { added: 0, webhookDeliveryIds: [] };
  if (unique.length === 0) return nothing;
  const about = (event: PlatformEvent) => (event.type === "USER_DELETED" ? [] : subjectsOf(event));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${FEED_APPEND_LOCK}, 0))`);
    const erased = await lockAndFindErased(tx, unique.flatMap(about));
    const kept = unique.filter((event) => !about(event).some((userId) => erased.has(userId)));
    if (kept.length === 0) return nothing;
    const added = await tx
      .insert(feed)
      .values(
        kept.map((event) => ({
          eventId: event.id,
          type: event.type,
          topic: topicOf(event.type),
          occurredAt: new Date(event.metadata.timestamp),
          envelope: event,
        })),
      )
      .onConflictDoNothing({ target: feed.eventId })
      .returning({ eventId: feed.eventId });
    const addedIds = new Set(added.map((row) => row.eventId));
    const webhookDeliveryIds = await queueWebhookDeliveries(
      tx,
      kept.filter((event) => addedIds.has(event.id)),
    );
    return { added: added.length, webhookDeliveryIds };
  });
}

export interface FeedQuery {
  /** The seq after which to read (0: from the start). */
  readonly after: number;
  /** Only these types; every type when undefined. */
  readonly types?: readonly EventType[] | undefined;
  readonly limit: number;
}

export interface FeedEntry {
  readonly cursor: string;
  readonly envelope: PlatformEvent;
}

export interface FeedPage {
  readonly items: FeedEntry[];
  /** Where to read on from: the last item's cursor, or the one asked with when there were none. */
  readonly nextCursor: string;
  /** Whether more entries (of the asked types) follow right now. */
  readonly hasMore: boolean;
}

/** One page of the feed, oldest first, after a cursor. */
export async function readFeed(db: Database, { after, types, limit }: FeedQuery): Promise<FeedPage> {
  const rows = await db
    .select({ seq: feed.seq, envelope: feed.envelope })
    .from(feed)
    .where(and(gt(feed.seq, after), types ? inArray(feed.type, [...types]) : undefined))
    .orderBy(asc(feed.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ cursor: encodeFeedCursor(row.seq), envelope: row.envelope })),
    nextCursor: encodeFeedCursor(last ? last.seq : after),
    hasMore: rows.length > limit,
  };
}

export interface FeedPruneOptions extends PruneOptions {
  readonly retentionDays: number;
}

/** Deletes feed entries recorded more than `retentionDays` ago, oldest first, bounded; answers how many went. */
export async function pruneFeed(db: Database, { retentionDays: days, ...bounds }: FeedPruneOptions): Promise<number> {
  return deleteBatches(async (limit) => {
    const doomed = db
      .select({ seq: feed.seq })
      .from(feed)
      .where(olderThanDays(feed.recordedAt, days))
      .orderBy(asc(feed.seq))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(feed)
      .where(sql`${feed.seq} in (${doomed})`)
      .returning({ seq: feed.seq });
    return rows.length;
  }, bounds);
}
