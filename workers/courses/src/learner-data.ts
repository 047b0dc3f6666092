import { asc, eq } from "drizzle-orm";
import type { LearnerRecords } from "@platform/contracts";
import type { Queryable, Transaction } from "./db/database.ts";
import { courses, enrollments, subscriptionAccess } from "./db/schema.ts";

/**
 * A learner's personal data in the courses service: their grants (enrollments, whatever made
 * them) and the subscription access payments told us of. Read for their export, deleted on
 * erasure. What they authored as an instructor (courses, lessons, media uploads) is the platform's
 * published material and stays; `author_id`/`created_by` keep the bare account id, which after
 * erasure resolves to no account and no profile anywhere (docs/identity.md).
 */
export async function learnerRecords(db: Queryable, userId: string): Promise<LearnerRecords> {
  const [grants, access] = await Promise.all([
    db
      .select({
        courseId: enrollments.courseId,
        courseTitle: courses.title,
        via: enrollments.via,
        grantedAt: enrollments.grantedAt,
        revokedAt: enrollments.revokedAt,
        completedAt: enrollments.completedAt,
      })
      .from(enrollments)
      .innerJoin(courses, eq(courses.id, enrollments.courseId))
      .where(eq(enrollments.userId, userId))
      .orderBy(asc(enrollments.grantedAt)),
    db
      .select({ subscriptionId: subscriptionAccess.subscriptionId, endsAt: subscriptionAccess.endsAt })
      .from(subscriptionAccess)
      .where(eq(subscriptionAccess.userId, userId)),
  ]);
  return {
    enrollments: grants.map((grant) => ({
      ...grant,
      grantedAt: grant.grantedAt.toISOString(),
      revokedAt: grant.revokedAt?.toISOString() ?? null,
      completedAt: grant.completedAt?.toISOString() ?? null,
    })),
    subscriptionAccess: access.map((row) => ({ ...row, endsAt: row.endsAt?.toISOString() ?? null })),
  };
}

/** USER_DELETED: the learner's grants, completions and subscription access go. */
export async function eraseLearner(tx: Transaction, userId: string): Promise<void> {
  await tx.delete(enrollments).where(eq(enrollments.userId, userId));
  await tx.delete(subscriptionAccess).where(eq(subscriptionAccess.userId, userId));
}
