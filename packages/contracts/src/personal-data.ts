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
