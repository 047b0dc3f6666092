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

/** One course the person has progress in (the progress service's `course_progress`). */
export const courseProgressRecordSchema = z.object({
  courseId: z.uuid(),
  courseTitle: z.string().nullable().openapi({ description: "Null when the progress service holds no outline of it" }),
  enrolledAt: at.nullable().openapi({ description: "The first grant of access; null for access by subscription" }),
  startedAt: at.nullable(),
  lastActivityAt: at.nullable(),
  lastLessonId: z.uuid().nullable(),
  completedAt: at.nullable(),
});

/** One lesson the person viewed or completed, and where its player stopped. */
export const lessonProgressRecordSchema = z.object({
  lessonId: z.uuid(),
  courseId: z.uuid(),
  lessonTitle: z.string().nullable().openapi({ description: "Null when the lesson is no longer in the course" }),
  firstViewedAt: at.nullable(),
  completedAt: at.nullable(),
  positionSeconds: z.number().nullable(),
  positionUpdatedAt: at.nullable(),
  updatedAt: at,
});

export const certificateRecordSchema = z.object({
  id: z.uuid(),
  courseId: z.uuid(),
  courseTitle: z.string(),
  learnerName: z.string(),
  completedAt: at,
  issuedAt: at,
  revokedAt: at.nullable(),
  revokedReason: z.string().nullable(),
  credentialJwt: z.string().openapi({
    description: "The signed Open Badges credential (VC-JWT); its public page is /api/progress/certificates/{id}",
  }),
});

export const learningSchema = z.object({
  enrollments: z.array(enrollmentRecordSchema),
  subscriptionAccess: z.array(z.object({ subscriptionId: z.uuid(), endsAt: at.nullable() })),
  progress: z.object({ courses: z.array(courseProgressRecordSchema), lessons: z.array(lessonProgressRecordSchema) }),
  certificates: z.array(certificateRecordSchema),
});

export const purchasesSchema = z.object({
  purchases: z.array(purchaseRecordSchema),
  subscriptions: z.array(subscriptionRecordSchema),
});

export const notificationsSchema = z.object({
  preferences: z
    .array(
      z.object({
        category: z.string(),
        channel: z.string(),
        enabled: z.boolean(),
        updatedAt: at,
      }),
    )
    .openapi({ description: "The choices the person made; every category and channel not listed is on" }),
  notices: z.array(
    z.object({
      id: z.uuid(),
      category: z.string(),
      template: z.string(),
      title: z.string(),
      body: z.string(),
      link: z.string().nullable(),
      createdAt: at,
      readAt: at.nullable(),
    }),
  ),
  pushSubscriptions: z.array(
    z.object({
      id: z.uuid(),
      endpointOrigin: z.string().nullable().openapi({
        description:
          "The push service's origin only: the full endpoint URL would let anyone holding it push to the browser",
      }),
      userAgent: z.string().nullable(),
      createdAt: at,
      lastSuccessAt: at.nullable(),
    }),
  ),
  deliveries: z
    .array(
      z.object({
        id: z.uuid(),
        channel: z.string(),
        category: z.string(),
        template: z.string(),
        locale: z.string(),
        emailAddress: z.string().nullable().openapi({ description: "Where an email went; null for push and in-app" }),
        status: z.string(),
        attempts: z.number().int(),
        createdAt: at,
        sentAt: at.nullable(),
        lastError: z.string().nullable(),
      }),
    )
    .openapi({ description: "The delivery log: what was sent how and when (never the message itself)" }),
});
