import { and, eq, isNull, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { recordEvent } from "@platform/events";
import { ProblemError } from "@platform/http-kit";
import { hasAccess } from "./access.ts";
import { enrollments, outbox, subscriptionAccess } from "./db/schema.ts";
import type { Database, Transaction } from "./db/database.ts";
import { findCourse } from "./permissions.ts";

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

export type FreeEnrollment =
  | { readonly status: "enrolled"; readonly enrollment: Enrollment }
  | { readonly status: "already-enrolled"; readonly courseId: string };

/**
 * A learner joins a free course: 404 unless it is published, 409 when it is paid (it is bought
 * instead) or the learner's free enrollment was withdrawn. Joining again changes nothing.
 */
export async function enrollInFreeCourse(
  db: Database,
  userId: string,
  courseId: string,
  context: { correlationId: string },
): Promise<FreeEnrollment> {
  const course = await findCourse(db, courseId);
  if (!course || course.status !== "published")
    throw new ProblemError("not-found", { detail: "No such published course." });
  if (course.priceAmount !== null) {
    throw new ProblemError("conflict", {
      detail: `This course is paid; buy it with POST /api/payments/courses/${course.id}.`,
    });
  }
  const granted = await db.transaction((tx) =>
    grantAccess(tx, { userId, courseId: course.id, via: "free_enrollment", reference: "free" }, context),
  );
  if (granted) return { status: "enrolled", enrollment: granted };
  // Enrolled before (or has access another way): nothing new to grant.
  if (await hasAccess(db, userId, course.id)) return { status: "already-enrolled", courseId: course.id };
  throw new ProblemError("conflict", { detail: "Your enrollment in this course was withdrawn." });
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
      and(
        eq(enrollments.userId, userId),
        eq(enrollments.courseId, courseId),
        isNull(enrollments.revokedAt),
        isNull(enrollments.completedAt),
      ),
    );
}
