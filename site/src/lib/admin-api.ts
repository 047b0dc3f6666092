/**
 * What the admin console reads from the API, as the owning workers' route schemas answer it
 * (workers/users/src/routes/admin*.ts, workers/auth/src/routes/providers.ts,
 * workers/payments/src/routes/{plans,admin-payments,mismatches}.ts, workers/events/src/routes/dead-letters.ts).
 */

export type PlatformRole = "learner" | "instructor" | "admin";
export const PLATFORM_ROLES: readonly PlatformRole[] = ["learner", "instructor", "admin"];

export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** `GET /api/users` items. */
export interface ListedPerson {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly updatedAt: string;
}

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly roles: readonly PlatformRole[];
  readonly status: "active" | "disabled";
  readonly createdAt: string;
  readonly liveSessions: number;
}

/** `GET /api/users/{id}`. */
export interface ManagedPerson {
  readonly account: Account;
  readonly profile: {
    readonly id: string;
    readonly name: string;
    readonly email: string | null;
    readonly locale: string;
    readonly timeZone: string;
  } | null;
}

export interface Provider {
  readonly id: string;
  readonly slug: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly hasClientSecret: boolean;
  readonly audience: string;
  readonly roleClaim: string;
  readonly roleMap: Readonly<Record<string, PlatformRole>>;
  readonly enabled: boolean;
}

export interface Plan {
  readonly id: string;
  readonly name: string;
  readonly interval: "month" | "year";
  readonly price: Money;
  readonly active: boolean;
}

export const PURCHASE_STATUSES = [
  "pending",
  "expired",
  "processing",
  "failed",
  "paid",
  "disputed",
  "refunded",
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/** `GET /api/payments` items. */
export interface AdminPurchase {
  readonly id: string;
  readonly userId: string;
  readonly courseId: string;
  readonly description: string;
  readonly price: Money;
  readonly status: PurchaseStatus;
  readonly provider: "stripe" | "sandbox";
  readonly amountRefundedMinor: number;
  readonly paidAt: string | null;
  readonly refundedAt: string | null;
  readonly createdAt: string;
}

export interface Mismatch {
  readonly id: string;
  readonly paymentId: string | null;
  readonly subscriptionId: string | null;
  readonly stripeEventId: string;
  readonly eventType: string;
  readonly differences: ReadonlyArray<{
    readonly field: string;
    readonly expected: string | number | null;
    readonly received: string | number;
  }>;
  readonly decision: "refused" | "applied";
  readonly at: string;
  readonly resolution: {
    readonly resolution: "accepted" | "dismissed";
    readonly by: string;
    readonly at: string;
    readonly note: string;
  } | null;
}

export interface DeadLetter {
  readonly id: string;
  readonly messageId: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly body: unknown;
  readonly attempts: number;
  readonly reason: string | null;
  readonly receivedAt: string;
  readonly replayedAt: string | null;
}
