import { callApi, type ApiCaller } from "./api";

/** A money amount as the payments API writes it. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** One course purchase from `GET /api/payments/me` (workers/payments/src/routes/schemas.ts). */
export interface Purchase {
  readonly kind: "purchase";
  readonly id: string;
  readonly courseId: string;
  readonly description: string;
  readonly price: Money;
  readonly status: "pending" | "expired" | "processing" | "failed" | "paid" | "disputed" | "refunded";
  readonly provider: "stripe" | "sandbox";
  readonly checkoutUrl: string | null;
  readonly amountRefundedMinor: number;
  readonly paidAt: string | null;
  readonly refundedAt: string | null;
  readonly createdAt: string;
}

export interface Subscription {
  readonly kind: "subscription";
  readonly id: string;
  readonly description: string;
  readonly interval: "month" | "year";
  readonly price: Money;
  readonly status: "incomplete" | "expired" | "active" | "past_due" | "canceling" | "canceled";
  readonly provider: "stripe" | "sandbox";
  readonly checkoutUrl: string | null;
  readonly currentPeriodEnd: string | null;
  readonly endsAt: string | null;
  readonly createdAt: string;
}

export interface PaymentsPage {
  readonly items: ReadonlyArray<Purchase | Subscription>;
  readonly nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a form or a query that may go into an API path: a UUID and nothing else. */
export function paymentId(value: string | null | undefined): string | undefined {
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** The buyer may ask for a refund of a paid purchase; whether it is still in time is the API's to say. */
export const refundable = (purchase: Purchase) => purchase.status === "paid";

/** A subscription that will renew can be cancelled (at the end of the paid period). */
export const cancellable = (subscription: Subscription) =>
  subscription.status === "active" || subscription.status === "past_due";

/**
 * The course pages' addresses for the purchases on a page, by course id: one shared, cacheable
 * read per course (anonymous: the edge keeps them). A course that is gone has no link.
 */
export async function courseSlugs(caller: ApiCaller, courseIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(courseIds)];
  const found = await Promise.all(
    unique.map(async (id) => {
      const course = await callApi<{ slug: string }>(caller, `/api/courses/${id}`, { anonymous: true });
      return course.ok ? ([id, course.data.slug] as const) : undefined;
    }),
  );
  return new Map(found.filter((entry) => entry !== undefined));
}
