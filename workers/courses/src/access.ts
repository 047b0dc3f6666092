import { and, eq, exists, gt, isNull, or, sql, type Column, type SQL } from "drizzle-orm";
import { enrollments, subscriptionAccess } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";

export function activeSubscriptionOf(userId: string) {
  return and(
    eq(subscriptionAccess.userId, userId),
    or(isNull(subscriptionAccess.endsAt), gt(subscriptionAccess.endsAt, sql`now()`)),
  );
}

/** An active grant of this course to this learner: a purchase, a free enrollment or an integrator's. */
function activeGrantOf(userId: string, courseId: string | Column) {
  return and(eq(enrollments.userId, userId), eq(enrollments.courseId, courseId), isNull(enrollments.revokedAt));
}

/**
 * The seed's `hasAccess(userId, courseId)`: an active grant for this course (purchase, free
 * enrollment, integrator) or an all-access subscription that has not ended. Authors and admins
 * reach their courses through the authoring rules (see permissions.ts), not through this. One
 * statement: the two lookups travel as one round trip.
 */
export async function hasAccess(db: Queryable, userId: string, courseId: string): Promise<boolean> {
  const found = await db
    .select({ one: sql<number>`1` })
    .from(enrollments)
    .where(activeGrantOf(userId, courseId))
    .unionAll(
      db
        .select({ one: sql<number>`1` })
        .from(subscriptionAccess)
        .where(activeSubscriptionOf(userId)),
    )
    .limit(1);
  return found.length > 0;
}

/**
 * The same rule as `hasAccess`, as a condition a read of the course itself selects beside its
 * columns (`courseId` is that read's course id column), so the page and the lesson list learn the
 * caller's access without a round trip of their own.
 */
export function accessCondition(db: Queryable, userId: string, courseId: Column): SQL {
  const condition = or(
    exists(
      db
        .select({ one: sql`1` })
        .from(enrollments)
        .where(activeGrantOf(userId, courseId)),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(subscriptionAccess)
        .where(activeSubscriptionOf(userId)),
    ),
  );
  if (!condition) throw new Error("an access condition is never empty");
  return condition;
}
