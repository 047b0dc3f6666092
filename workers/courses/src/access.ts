import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { enrollments, subscriptionAccess } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";

export function activeSubscriptionOf(userId: string) {
  return and(
    eq(subscriptionAccess.userId, userId),
    or(isNull(subscriptionAccess.endsAt), gt(subscriptionAccess.endsAt, sql`now()`)),
  );
}

/**
 * The seed's `hasAccess(userId, courseId)`: an active grant for this course (purchase, free
 * enrollment, integrator) or an all-access subscription that has not ended. Authors and admins
 * reach their courses through the authoring rules (see permissions.ts), not through this.
 */
export async function hasAccess(db: Queryable, userId: string, courseId: string): Promise<boolean> {
  const [grant] = await db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.userId, userId), eq(enrollments.courseId, courseId), isNull(enrollments.revokedAt)))
    .limit(1);
  if (grant) return true;
  const [subscription] = await db
    .select({ id: subscriptionAccess.subscriptionId })
    .from(subscriptionAccess)
    .where(activeSubscriptionOf(userId))
    .limit(1);
  return subscription !== undefined;
}
