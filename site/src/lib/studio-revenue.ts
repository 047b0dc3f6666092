import { callApi, type ApiCaller } from "./api";

/**
 * What the author's courses earned, from the payments service (`GET /api/payments/revenue`,
 * docs/payments.md): per course and currency, what buyers paid, what went back in refunds, and the
 * rest. Course purchases only: a subscription pays for every course at once and is not shared out.
 */
export interface CurrencyRevenue {
  readonly currency: string;
  readonly grossMinor: number;
  readonly refundedMinor: number;
  readonly netMinor: number;
  readonly purchases: number;
  readonly refunds: number;
  readonly disputes: number;
}

/** Each course's revenue by currency (an empty list: never sold), or undefined when it cannot be read now. */
export type RevenueByCourse = ReadonlyMap<string, readonly CurrencyRevenue[]> | undefined;

/** The payments service takes at most this many courses a request; the studio's page is 20. */
const MAX_PER_REQUEST = 50;

/**
 * One request for a page of courses. Whatever goes wrong — payments down or slow, a course it
 * refuses — the list still shows, with its revenue marked unavailable: the figure is not worth a
 * broken page.
 */
export async function readRevenue(caller: ApiCaller, courseIds: readonly string[]): Promise<RevenueByCourse> {
  if (courseIds.length === 0) return new Map();
  if (courseIds.length > MAX_PER_REQUEST) return undefined;
  const query = new URLSearchParams(courseIds.map((id) => ["courseId", id]));
  const read = await callApi<{ courses: { courseId: string; revenue: CurrencyRevenue[] }[] }>(
    caller,
    `/api/payments/revenue?${query}`,
  );
  if (!read.ok) return undefined;
  return new Map(read.data.courses.map((course) => [course.courseId, course.revenue]));
}
