import { and, eq } from "drizzle-orm";
import type { EventOutcome } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import type { EventData, EventEnvelope, EventType, PlatformEvent } from "@platform/events";
import { logLine } from "@platform/http-kit";
import { invalidateAuthor } from "./cache/author-cache.ts";
import { invalidateCatalog } from "./cache/catalog-cache.ts";
import { invalidateCourse } from "./cache/course-cache.ts";
import type { CacheStore } from "./cache/versioned-cache.ts";
import { courses, processedEvents } from "./db/schema.ts";
import type { Database } from "./db/database.ts";
import { endSubscription, grantAccess, markCompleted, revokePurchase, startSubscription } from "./enrollments.ts";
import { eraseLearner } from "./learner-data.ts";

/** Each event type's envelope, by type. */
type EventOf = { [T in EventType]: EventEnvelope<T, EventData<T>> };

type Handler<T extends EventType> = (
  db: Database,
  catalogCache: CacheStore,
  event: EventOf[T],
) => Promise<EventOutcome>;

const contextOf = (event: PlatformEvent) => ({ correlationId: event.metadata.correlationId });

/** What a change to a course's outline (not to the course row) names: catalog entries do not show it. */
const OUTLINE_ONLY = new Set(["lessons", "sections"]);

/**
 * The cache half of these two is a backstop: the worker that wrote the change already moved the
 * versions on right after its commit (cache/course-cache.ts). A draft is never cached, so its
 * changes are ignored.
 */
const handlers = {
  COURSE_PUBLISHED: async (_db, catalogCache, event) => {
    await Promise.all([invalidateCatalog(catalogCache), invalidateCourse(catalogCache, event.data.courseId)]);
    return "applied";
  },
  COURSE_UPDATED: async (_db, catalogCache, event) => {
    if (event.data.status === "draft") return "ignored";
    const listed = event.data.changed.some((field) => !OUTLINE_ONLY.has(field));
    await Promise.all([
      invalidateCourse(catalogCache, event.data.courseId),
      ...(listed ? [invalidateCatalog(catalogCache)] : []),
    ]);
    return "applied";
  },
  COURSE_PURCHASED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, async (tx) => {
      const { userId, courseId, paymentId } = event.data;
      await grantAccess(tx, { userId, courseId, via: "purchase", reference: paymentId }, contextOf(event));
    }),
  PAYMENT_REFUNDED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, async (tx) => {
      await revokePurchase(tx, event.data, "refund", contextOf(event));
    }),
  SUBSCRIPTION_CREATED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, (tx) =>
      startSubscription(tx, event.data.subscriptionId, event.data.userId),
    ),
  SUBSCRIPTION_CANCELED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, (tx) =>
      endSubscription(tx, event.data.subscriptionId, event.data.userId, new Date(event.data.endsAt)),
    ),
  ENROLLMENT_REQUESTED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, async (tx) => {
      const { userId, courseId, reference } = event.data;
      const [course] = await tx
        .select({ id: courses.id })
        .from(courses)
        .where(and(eq(courses.id, courseId), eq(courses.status, "published")));
      if (!course) {
        // The integrator asked for a course learners cannot join: recorded as seen, nothing granted.
        logLine("warn", "courses", "enrollment request for a course that is not published", { courseId, reference });
        return;
      }
      await grantAccess(tx, { userId, courseId, via: "integrator", reference }, contextOf(event));
    }),
  COURSE_COMPLETED: (db, _catalogCache, event) =>
    consumeOnce(db, processedEvents, event, (tx) =>
      markCompleted(tx, event.data.userId, event.data.courseId, new Date(event.data.completedAt)),
    ),
  // The erased person's grants go; and if they wrote courses, the name cached for those courses'
  // outline too (after the erasure, whatever its outcome: a retry after a KV failure moves it again).
  USER_DELETED: async (db, catalogCache, event) => {
    const outcome = await consumeOnce(db, processedEvents, event, (tx) => eraseLearner(tx, event.data.userId));
    await invalidateAuthor(catalogCache, event.data.userId);
    return outcome;
  },
  // Only a name change concerns courses: the instructor's name on their outlines (cached 10 minutes otherwise).
  USER_UPDATED: async (_db, catalogCache, event) => {
    if (event.data.name === undefined) return "ignored";
    await invalidateAuthor(catalogCache, event.data.userId);
    return "applied";
  },
} satisfies { readonly [T in EventType]?: Handler<T> };

/** The event types the courses service acts on. */
export type CourseEventType = keyof typeof handlers;

/**
 * What the courses service does with each event type it consumes, and so the list of those types
 * (`SUBSCRIPTIONS.COURSES` in @platform/events must name exactly these; a unit test of the
 * events worker checks it). Effects on PostgreSQL go through `consumeOnce` (at most once per
 * event id); cache invalidation needs no dedupe (moving a cache version twice costs one cache miss).
 */
export const COURSE_EVENT_HANDLERS: { readonly [T in CourseEventType]: Handler<T> } = handlers;

/** Whether the courses service acts on events of this type. */
export const handles = (type: string): type is CourseEventType => Object.hasOwn(COURSE_EVENT_HANDLERS, type);

function handle<T extends CourseEventType>(db: Database, catalogCache: CacheStore, type: T, event: EventOf[T]) {
  return COURSE_EVENT_HANDLERS[type](db, catalogCache, event);
}

/** Applies one platform event to the courses service; a type it does not act on is ignored. */
export async function applyEvent(db: Database, catalogCache: CacheStore, event: PlatformEvent): Promise<EventOutcome> {
  return isCourseEvent(event) ? handle(db, catalogCache, event.type, event) : "ignored";
}

function isCourseEvent(event: PlatformEvent): event is EventOf[CourseEventType] {
  return handles(event.type);
}
