import { and, inArray, sql } from "drizzle-orm";
import type { Database } from "./db/database.ts";
import { payments } from "./db/schema.ts";
import type { PurchaseStatus } from "./purchase-machine.ts";

/** A course's sales in one currency: what buyers paid, what went back, and what stays. */
export interface CurrencyRevenue {
  readonly currency: string;
  /** Every purchase whose money was taken, at the price paid (minor units). */
  readonly grossMinor: number;
  /** What went back to buyers: a refunded purchase's whole price, a partial refund's amount. */
  readonly refundedMinor: number;
  readonly netMinor: number;
  readonly purchases: number;
  /** Purchases with money returned, wholly or in part. */
  readonly refunds: number;
  /** Purchases under a dispute: counted as paid until Stripe decides (docs/payments.md). */
  readonly disputes: number;
}

export interface CourseRevenue {
  readonly courseId: string;
  /** One entry per currency the course has been sold in, by currency code; empty: never sold. */
  readonly revenue: readonly CurrencyRevenue[];
}

/**
 * The states in which money was taken. A purchase refunded before its completion arrived was
 * charged too (a refund proves the charge), so it counts in gross and in refunds, netting zero.
 */
const CHARGED: readonly PurchaseStatus[] = ["paid", "disputed", "refunded"];

/**
 * Course purchases summed per course and currency, in one statement. Subscriptions are not here:
 * a subscription pays for every course at once, and no share of it belongs to one course.
 */
export async function courseRevenue(db: Database, courseIds: readonly string[]): Promise<CourseRevenue[]> {
  // Only a full refund ends a purchase ("refunded"); a partial one leaves it paid with the amount noted.
  const refunded = sql<number>`sum(case when ${payments.status} = 'refunded' then ${payments.amountMinor}
    else least(${payments.amountRefundedMinor}, ${payments.amountMinor}) end)`;
  const rows = await db
    .select({
      courseId: payments.courseId,
      currency: payments.currency,
      grossMinor: sql<number>`sum(${payments.amountMinor})`.mapWith(Number),
      refundedMinor: refunded.mapWith(Number),
      purchases: sql<number>`count(*)`.mapWith(Number),
      refunds:
        sql<number>`count(*) filter (where ${payments.status} = 'refunded' or ${payments.amountRefundedMinor} > 0)`.mapWith(
          Number,
        ),
      disputes: sql<number>`count(*) filter (where ${payments.status} = 'disputed')`.mapWith(Number),
    })
    .from(payments)
    .where(and(inArray(payments.courseId, [...courseIds]), inArray(payments.status, [...CHARGED])))
    .groupBy(payments.courseId, payments.currency)
    .orderBy(payments.courseId, payments.currency);
  const byCourse = new Map<string, CurrencyRevenue[]>(courseIds.map((id) => [id, []]));
  for (const { courseId, ...sums } of rows) {
    byCourse.get(courseId)?.push({ ...sums, netMinor: sums.grossMinor - sums.refundedMinor });
  }
  return [...byCourse].map(([courseId, revenue]) => ({ courseId, revenue }));
}
