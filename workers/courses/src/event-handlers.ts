import { and, eq } from "drizzle-orm";
import type { NeonDatabase } from "drizzle-orm/neon-serverless";
import type { EventOutcome } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import type { PlatformEvent } from "@platform/events";
import { logLine } from "@platform/http-kit";
import { invalidateCatalog } from "./catalog-cache.ts";
import { courses, processedEvents } from "./db/schema.ts";
import type * as schema from "./db/schema.ts";
export { COURSES_CONSUMES } from "./consumed-events.ts";
import { endSubscription, grantAccess, markCompleted, revokePurchase, startSubscription } from "./enrollments.ts";

type Database = NeonDatabase<typeof schema>;


/**
 * Applies one platform event to the courses service. Effects on PostgreSQL go through
 * `consumeOnce` (at most once per event id); the catalog invalidation needs no dedupe (moving
 * the cache generation twice costs one cache miss).
 */
export async function applyEvent(db: Database, catalogCache: KVNamespace, event: PlatformEvent): Promise<EventOutcome> {
  const context = { correlationId: event.metadata.correlationId };
  switch (event.type) {
    case "COURSE_PUBLISHED":
      await invalidateCatalog(catalogCache);
      return "applied";
    case "COURSE_UPDATED":
      if (event.data.status === "draft") return "ignored";
      await invalidateCatalog(catalogCache);
      return "applied";
    case "COURSE_PURCHASED":
      return consumeOnce(db, processedEvents, event, async (tx) => {
        const { userId, courseId, paymentId } = event.data;
        await grantAccess(tx, { userId, courseId, via: "purchase", reference: paymentId }, context);
      });
    case "PAYMENT_REFUNDED":
      return consumeOnce(db, processedEvents, event, async (tx) => {
        await revokePurchase(tx, event.data, "refund", context);
      });
    case "SUBSCRIPTION_CREATED":
      return consumeOnce(db, processedEvents, event, (tx) =>
        startSubscription(tx, event.data.subscriptionId, event.data.userId),
      );
    case "SUBSCRIPTION_CANCELED":
      return consumeOnce(db, processedEvents, event, (tx) =>
        endSubscription(tx, event.data.subscriptionId, event.data.userId, new Date(event.data.endsAt)),
      );
    case "ENROLLMENT_REQUESTED":
      return consumeOnce(db, processedEvents, event, async (tx) => {
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
        await grantAccess(tx, { userId, courseId, via: "integrator", reference }, context);
      });
    case "COURSE_COMPLETED":
      return consumeOnce(db, processedEvents, event, (tx) =>
        markCompleted(tx, event.data.userId, event.data.courseId, new Date(event.data.completedAt)),
      );
    default:
      return "ignored";
  }
}
