import { eq, sql } from "drizzle-orm";
import type { EventOutcome } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import type { EventData, EventEnvelope, EventType, PlatformEvent } from "@platform/events";
import type { Database } from "./db/database.ts";
import { certificates, courseProgress, lessonProgress, processedEvents } from "./db/schema.ts";
import { refreshOutline, type OutlineSource } from "./outlines.ts";

/** Each event type's envelope, by type. */
type EventOf = { [T in EventType]: EventEnvelope<T, EventData<T>> };

/** What handling an event may reach: the courses service for outlines, and whatever issues certificates. */
export interface EventEffects {
  readonly courses: OutlineSource;
  readonly issueCertificate: (db: Database, event: EventOf["COURSE_COMPLETED"]) => Promise<EventOutcome>;
}

type Handler<T extends EventType> = (db: Database, effects: EventEffects, event: EventOf[T]) => Promise<EventOutcome>;

/** The changes of a course that alter what progress keeps of it: its lessons, their order, its name. */
const OUTLINE_FIELDS = new Set(["lessons", "sections", "title", "slug", "status"]);

/**
 * The outline handlers need no dedupe: they re-read the outline from courses, so a second
 * delivery costs a read and changes nothing (docs/progress.md). The others go through
 * `consumeOnce`.
 */
const handlers = {
  COURSE_PUBLISHED: async (db, { courses }, event) => {
    await refreshOutline(db, courses, event.data.courseId);
    return "applied";
  },
  COURSE_UPDATED: async (db, { courses }, event) => {
    // A draft has no learners; an outline change that is not one (a new price, a new cover) is not ours.
    if (event.data.status === "draft" || !event.data.changed.some((field) => OUTLINE_FIELDS.has(field))) {
      return "ignored";
    }
    await refreshOutline(db, courses, event.data.courseId);
    return "applied";
  },
  // Author analytics count enrolled learners: the first grant's time is kept (an earlier one arriving late wins).
  COURSE_ACCESS_GRANTED: (db, _effects, event) =>
    consumeOnce(db, processedEvents, event, async (tx) => {
      const grantedAt = new Date(event.data.grantedAt);
      await tx
        .insert(courseProgress)
        .values({ userId: event.data.userId, courseId: event.data.courseId, enrolledAt: grantedAt })
        .onConflictDoUpdate({
          target: [courseProgress.userId, courseProgress.courseId],
          set: {
            enrolledAt: sql`least(coalesce(${courseProgress.enrolledAt}, excluded.enrolled_at), excluded.enrolled_at)`,
          },
        });
    }),
  // The certificate (src/certificates): issued once per learner and course, whatever the deliveries.
  COURSE_COMPLETED: (db, { issueCertificate }, event) => issueCertificate(db, event),
  // Erasure: the learner's progress and certificates (which print their name) go (docs/identity.md).
  USER_DELETED: (db, _effects, event) =>
    consumeOnce(db, processedEvents, event, async (tx) => {
      const { userId } = event.data;
      await tx.delete(lessonProgress).where(eq(lessonProgress.userId, userId));
      await tx.delete(courseProgress).where(eq(courseProgress.userId, userId));
      await tx.delete(certificates).where(eq(certificates.userId, userId));
    }),
} satisfies { readonly [T in EventType]?: Handler<T> };

export type ProgressEventType = keyof typeof handlers;

/** What the progress service does with each type it consumes; `SUBSCRIPTIONS.PROGRESS` must name exactly these. */
export const PROGRESS_EVENT_HANDLERS: { readonly [T in ProgressEventType]: Handler<T> } = handlers;

export const handles = (type: string): type is ProgressEventType => Object.hasOwn(PROGRESS_EVENT_HANDLERS, type);

function handle<T extends ProgressEventType>(db: Database, effects: EventEffects, type: T, event: EventOf[T]) {
  return PROGRESS_EVENT_HANDLERS[type](db, effects, event);
}

/** Applies one platform event to the progress service; a type it does not act on is ignored. */
export async function applyEvent(db: Database, effects: EventEffects, event: PlatformEvent): Promise<EventOutcome> {
  return isProgressEvent(event) ? handle(db, effects, event.type, event) : "ignored";
}

function isProgressEvent(event: PlatformEvent): event is EventOf[ProgressEventType] {
  return handles(event.type);
}
