import { z } from "@hono/zod-openapi";

/** The parts of a person's export that other services own (contracts: @platform/contracts personal-data.ts). */
const at = z.iso.datetime();

export const enrollmentRecordSchema = z.object({
  courseId: z.uuid(),
  courseTitle: z.string(),
  via: z.enum(["purchase", "subscription", "free_enrollment", "integrator"]),
  grantedAt: at,
  revokedAt: at.nullable(),
  completedAt: at.nullable(),
});

export const purchaseRecordSchema = z.object({
  id: z.uuid(),
  courseId: z.uuid(),
  description: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  status: z.string(),
  amountRefundedMinor: z.number().int(),
  createdAt: at,
  paidAt: at.nullable(),
  refundedAt: at.nullable(),
});

export const subscriptionRecordSchema = z.object({
  id: z.uuid(),
  description: z.string(),
  interval: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  lifecycle: z.string(),
  createdAt: at,
  currentPeriodEnd: at.nullable(),
  endedAt: at.nullable(),
});

export const learningSchema = z.object({
  enrollments: z.array(enrollmentRecordSchema),
  subscriptionAccess: z.array(z.object({ subscriptionId: z.uuid(), endsAt: at.nullable() })),
  /**
   * Lesson progress: the progress service keeps none yet, so this is always empty; the list is here so the
   * export's shape does not change when it does (its records' fields are that service's to define).
   */
  progress: z.array(z.record(z.string(), z.unknown())),
});

export const purchasesSchema = z.object({
  purchases: z.array(purchaseRecordSchema),
  subscriptions: z.array(subscriptionRecordSchema),
});
