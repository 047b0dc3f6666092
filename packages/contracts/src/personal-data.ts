import type { RpcResult } from "./auth-rpc.ts";

/**
 * What the owning workers hand the users worker for a person's data export
 * (`GET /api/users/me/export`): each service reads its own tables and answers over RPC.
 */

/** One grant of access to a course, as the courses service holds it. */
export interface EnrollmentRecord {
  readonly courseId: string;
  readonly courseTitle: string;
  readonly via: "purchase" | "subscription" | "free_enrollment" | "integrator";
  readonly grantedAt: string;
  readonly revokedAt: string | null;
  readonly completedAt: string | null;
}

export interface LearnerRecords {
  readonly enrollments: readonly EnrollmentRecord[];
  /** All-access subscriptions as the courses service knows them (null: no end set yet). */
  readonly subscriptionAccess: readonly { readonly subscriptionId: string; readonly endsAt: string | null }[];
}

export interface PurchaseRecord {
  readonly id: string;
  readonly courseId: string;
  readonly description: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly status: string;
  readonly amountRefundedMinor: number;
  readonly createdAt: string;
  readonly paidAt: string | null;
  readonly refundedAt: string | null;
}

export interface SubscriptionRecord {
  readonly id: string;
  readonly description: string;
  readonly interval: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly lifecycle: string;
  readonly createdAt: string;
  readonly currentPeriodEnd: string | null;
  readonly endedAt: string | null;
}

export interface PaymentRecords {
  readonly purchases: readonly PurchaseRecord[];
  readonly subscriptions: readonly SubscriptionRecord[];
}

/** What the payments worker offers other workers over RPC. */
export interface PaymentsRpc {
  /** A person's purchases and subscriptions, for their data export. */
  paymentRecords(userId: string): Promise<RpcResult<PaymentRecords, "unavailable">>;
}

/** The courses worker's part of the export (added to its RPC surface, CoursesRpc). */
export interface LearnerRecordsRpc {
  /** A person's grants and subscription access, for their data export. */
  learnerRecords(userId: string): Promise<RpcResult<LearnerRecords, "unavailable">>;
}

/** One learner in one course, as the progress service tracks it. Times are ISO 8601; null: not happened yet. */
export interface CourseProgressRecord {
  readonly courseId: string;
  /** From the service's outline of the course; null when it holds none (a course it was never told about). */
  readonly courseTitle: string | null;
  /** The first grant of access it was told of; null for access through a subscription. */
  readonly enrolledAt: string | null;
  readonly startedAt: string | null;
  readonly lastActivityAt: string | null;
  readonly lastLessonId: string | null;
  readonly completedAt: string | null;
}

/** One learner on one lesson: viewed, completed, and where the player stopped. */
export interface LessonProgressRecord {
  readonly lessonId: string;
  readonly courseId: string;
  /** Null when the lesson is no longer in the course (its progress is kept as history). */
  readonly lessonTitle: string | null;
  readonly firstViewedAt: string | null;
  readonly completedAt: string | null;
  readonly positionSeconds: number | null;
  readonly positionUpdatedAt: string | null;
  readonly updatedAt: string;
}

/** A certificate as issued, with the signed credential anyone can verify (docs/certificates.md). */
export interface CertificateRecord {
  readonly id: string;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly learnerName: string;
  readonly completedAt: string;
  readonly issuedAt: string;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
  /** The Open Badges credential as a VC-JWT; its public page is `/api/progress/certificates/{id}`. */
  readonly credentialJwt: string;
}

export interface ProgressRecords {
  readonly courses: readonly CourseProgressRecord[];
  readonly lessons: readonly LessonProgressRecord[];
  readonly certificates: readonly CertificateRecord[];
}

/** A choice someone made of what reaches them; every category and channel without one is on (the default). */
export interface NotificationPreferenceRecord {
  readonly category: string;
  readonly channel: string;
  readonly enabled: boolean;
  readonly updatedAt: string;
}

/** An in-app notice in the person's inbox. */
export interface NoticeRecord {
  readonly id: string;
  readonly category: string;
  readonly template: string;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/**
 * A browser's Web Push subscription. Only the push service's origin is given: the full endpoint URL (and the
 * keys) would let whoever holds the export file push to that browser.
 */
export interface PushSubscriptionRecord {
  readonly id: string;
  /** `https://host[:port]` of the push service; null if the stored endpoint is not a URL. */
  readonly endpointOrigin: string | null;
  readonly userAgent: string | null;
  readonly createdAt: string;
  readonly lastSuccessAt: string | null;
}

/** One entry of the delivery log: what was sent to the person, how and when; never the message itself. */
export interface DeliveryRecord {
  readonly id: string;
  readonly channel: string;
  readonly category: string;
  readonly template: string;
  readonly locale: string;
  /** The address an email went to; null for push and in-app (and after erasure). */
  readonly emailAddress: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly sentAt: string | null;
  /** Why the last attempt failed, as the channel said it (an SMTP reply, a push service's status). */
  readonly lastError: string | null;
}

export interface NotificationRecords {
  readonly preferences: readonly NotificationPreferenceRecord[];
  readonly notices: readonly NoticeRecord[];
  readonly pushSubscriptions: readonly PushSubscriptionRecord[];
  readonly deliveries: readonly DeliveryRecord[];
}
