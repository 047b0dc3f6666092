import { and, eq, isNull, sql } from "drizzle-orm";
import type { NeonDatabase } from "drizzle-orm/neon-serverless";
import { v7 as uuidv7 } from "uuid";
import { recordEvent } from "@platform/events";
import { enrollments, outbox, subscriptionAccess } from "./db/schema.ts";
import type * as schema from "./db/schema.ts";

type Database = NeonDatabase<typeof schema>;
type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Enrollment = typeof enrollments.$inferSelect;
export type AccessVia = Enrollment["via"];

export interface Grant {
  readonly userId: string;
  readonly courseId: string;
  readonly via: AccessVia;
  /** The payment id, the integrator's reference, or "free". */
  readonly reference: string;
}

/**
 * Grants access once per (learner, course, kind, reference) and records COURSE_ACCESS_GRANTED
 * only when the grant is new: a purchase applied twice grants once. A grant that was revoked
 * (a refund) stays revoked: the same payment does not grant again.
 */
export async function grantAccess(
  tx: Transaction,
  grant: Grant,
  context: { correlationId: string },
): Promise<Enrollment | undefined> {
  const [created] = await tx
    .insert(enrollments)
    .values({ id: uuidv7(), ...grant })
    .onConflictDoNothing({ target: [enrollments.userId, enrollments.courseId, enrollments.via, enrollments.reference] })
    .returning();
  if (!created) return undefined;
  await recordEvent(
    tx,
    outbox,
    "COURSE_ACCESS_GRANTED",
    {
      userId: grant.userId,
      courseId: grant.courseId,
      via: grant.via,
      reference: grant.reference === "free" ? null : grant.reference,
      grantedAt: created.grantedAt.toISOString(),
    },
    { source: "courses", ...context },
  );
  return created;
}

/**
 * Revokes the grant a payment made (a refund, a dispute) and records COURSE_ACCESS_REVOKED.
 *
 * One upsert, so the outcome does not depend on timing: events arrive out of order and the
 * router applies a batch's messages at once. A refund before its purchase inserts the grant
 * already revoked, so the late purchase finds it and grants nothing; a refund racing its
 * purchase waits on the purchase's row and then revokes it. `xmax <> 0` tells an updated row (a
 * real grant revoked: worth an event) from a freshly inserted, already-revoked one.
 */
export async function revokePurchase(
  tx: Transaction,
  payment: { paymentId: string; userId: string; courseId: string | null },
  reason: "refund" | "dispute",
  context: { correlationId: string },
): Promise<Array<Pick<Enrollment, "userId" | "courseId" | "revokedAt">>> {
  const revoked = payment.courseId
    ? await tx
        .insert(enrollments)
        .values({
          id: uuidv7(),
          userId: payment.userId,
          courseId: payment.courseId,
          via: "purchase",
          reference: payment.paymentId,
          revokedAt: sql`now()`,
        })
        .onConflictDoUpdate({
          target: [enrollments.userId, enrollments.courseId, enrollments.via, enrollments.reference],
          set: { revokedAt: sql`now()` },
          setWhere: isNull(enrollments.revokedAt),
        })
        .returning({
          userId: enrollments.userId,
          courseId: enrollments.courseId,
          revokedAt: enrollments.revokedAt,
          wasGranted: sql<boolean>`xmax <> 0`,
        })
        .then((rows) => rows.filter((row) => row.wasGranted))
    : // A payment for no course (a subscription's) made no course grant to revoke.
      [];
  for (const enrollment of revoked) {
    await recordEvent(
      tx,
      outbox,
      "COURSE_ACCESS_REVOKED",
      {
        userId: enrollment.userId,
        courseId: enrollment.courseId,
        reason,
        reference: payment.paymentId,
        revokedAt: (enrollment.revokedAt ?? new Date()).toISOString(),
      },
      { source: "courses", ...context },
    );
  }
  return revoked;
}

/** An all-access subscription starts. If its end is already known (events out of order), that end stays. */
export async function startSubscription(tx: Transaction, subscriptionId: string, userId: string) {
  await tx.insert(subscriptionAccess).values({ subscriptionId, userId, endsAt: null }).onConflictDoNothing();
}

/** A subscription was canceled: access through it ends at `endsAt` (the period end, or now). */
export async function endSubscription(tx: Transaction, subscriptionId: string, userId: string, endsAt: Date) {
  await tx
    .insert(subscriptionAccess)
    .values({ subscriptionId, userId, endsAt })
    .onConflictDoUpdate({ target: subscriptionAccess.subscriptionId, set: { endsAt, updatedAt: sql`now()` } });
}

/** Marks the learner's active grants of the course completed (for the instructor's counts). */
export async function markCompleted(tx: Transaction, userId: string, courseId: string, completedAt: Date) {
  await tx
    .update(enrollments)
    .set({ completedAt })
    .where(
      and(eq(enrollments.userId, userId), eq(enrollments.courseId, courseId), isNull(enrollments.revokedAt), isNull(enrollments.completedAt)),
    );
}
