import { eq } from "drizzle-orm";
import type { EventOutcome } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import type { PlatformEvent } from "@platform/events";
import { logLine } from "@platform/http-kit";
import type { Database, Transaction } from "../db/database.ts";
import { deliveries, notices, processedEvents } from "../db/schema.ts";
import type { NotificationsBindings } from "../env.ts";
import { addresseeOf } from "./addressee.ts";
import { composeNotices, type Composition } from "./compose.ts";
import { eraseRecipient } from "./erase.ts";
import { planFor } from "./plan.ts";

/** What consuming an event reaches: who the person is (auth, users), course titles (courses), link settings. */
export type ConsumerEnv = Pick<
  NotificationsBindings,
  "AUTH" | "USERS" | "COURSES" | "PUBLIC_ORIGIN" | "UNSUBSCRIBE_SECRET"
>;

export interface Consumed {
  readonly outcome: EventOutcome;
  /** The deliveries this event wrote that are due now: the caller tries them once the transaction committed. */
  readonly dueNow: readonly string[];
}

/**
 * One platform event, applied at most once (docs/notifications.md): everything another service must tell, and
 * everything that must render, is settled BEFORE the transaction, which then only writes the notices and the
 * deliveries together with the event's dedupe mark. A service that cannot answer, or a template that cannot
 * render, throws: the router retries, and in the end dead-letters the event with the reason in its log.
 */
export async function consumeEvent(
  db: Database,
  env: ConsumerEnv,
  event: PlatformEvent,
  now: Date = new Date(),
): Promise<Consumed> {
  if (!env.PUBLIC_ORIGIN) throw new Error("PUBLIC_ORIGIN is not configured: notices link to the platform");
  const plan = await planFor(event, { courses: env.COURSES, origin: env.PUBLIC_ORIGIN, now });
  const context = { eventId: event.id, type: event.type, correlationId: event.metadata.correlationId };
  if (plan.kind === "ignore") {
    logLine("info", "notifications", "event asks for no notice", { ...context, reason: plan.reason });
    return { outcome: "ignored", dueNow: [] };
  }
  if (plan.kind === "erase") {
    const outcome = await consumeOnce(db, processedEvents, event, (tx) => eraseRecipient(tx, plan.userId));
    return { outcome, dueNow: [] };
  }
  // A redelivered event costs one read, not the lookups and the rendering.
  if (await alreadyConsumed(db, event.id)) return { outcome: "duplicate", dueNow: [] };

  const addressee = await addresseeOf(env, plan.userId, plan.fallbackName);
  if (!addressee) {
    // No account: erased before its event arrived. A notice now would keep data about a person who is gone.
    logLine("info", "notifications", "event for an account auth does not know", { ...context, userId: plan.userId });
    return { outcome: "ignored", dueNow: [] };
  }
  const composition = await composeNotices(db, env, {
    userId: plan.userId,
    causedBy: event.id,
    addressee,
    planned: plan.notices,
    now,
  });
  let written: { id: string; nextAttemptAt: Date }[] = [];
  const outcome = await consumeOnce(db, processedEvents, event, async (tx) => {
    written = await writeComposition(tx, composition);
  });
  const dueNow = written.filter((row) => row.nextAttemptAt <= now).map((row) => row.id);
  logLine("info", "notifications", "notices recorded", {
    ...context,
    outcome,
    deliveries: written.length,
    notices: composition.notices.length,
  });
  return { outcome, dueNow: outcome === "applied" ? dueNow : [] };
}

async function alreadyConsumed(db: Database, eventId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, eventId))
    .limit(1);
  return rows.length > 0;
}

/** The notices, then the deliveries; a delivery whose dedupe key exists already is skipped, not an error. */
async function writeComposition(
  tx: Transaction,
  composition: Composition,
): Promise<{ id: string; nextAttemptAt: Date }[]> {
  if (composition.notices.length > 0) await tx.insert(notices).values(composition.notices);
  if (composition.deliveries.length === 0) return [];
  return tx
    .insert(deliveries)
    .values(composition.deliveries)
    .onConflictDoNothing({ target: deliveries.dedupeKey })
    .returning({ id: deliveries.id, nextAttemptAt: deliveries.nextAttemptAt });
}
