import { callApi, type ApiCaller } from "./api";
import type { Course, Price } from "./catalog";

/**
 * The checkout's way back. The payment provider sends the browser to
 * `/checkout/complete?payment={id}&session_id=…` (or `?subscription={id}`), but nothing is granted
 * by the browser coming back: access follows the provider's signed webhook to the payments
 * service, then the COURSE_PURCHASED event to the courses service, usually within seconds. The
 * return page waits for that briefly, asking the API a few times, and says what happened.
 */

export type PaymentKind = "payment" | "subscription";

/** A purchase or a subscription as `GET /api/payments/me` lists it (only what these pages use). */
export interface MyPayment {
  readonly kind: "purchase" | "subscription";
  readonly id: string;
  readonly courseId?: string;
  readonly description: string;
  readonly price: Price;
  readonly status: string;
  readonly checkoutUrl: string | null;
}

/** How many of the visitor's newest payments are looked through: a checkout just made is among them. */
const RECENT_PAYMENTS = 50;
/** Asks this many times, a pause apart: at most about five seconds in all. */
export const ACCESS_CHECKS = 5;
const PAUSE_MS = 1_000;

export type Lookup<T> = { readonly found: T } | { readonly missing: true } | { readonly unavailable: true };

/** The visitor's own payment with this id (`payment=` names a purchase, `subscription=` a subscription). */
export async function findMyPayment(caller: ApiCaller, kind: PaymentKind, id: string): Promise<Lookup<MyPayment>> {
  const listed = await callApi<{ items: MyPayment[] }>(caller, `/api/payments/me?limit=${RECENT_PAYMENTS}`);
  if (!listed.ok) return { unavailable: true };
  const wanted = kind === "payment" ? "purchase" : "subscription";
  const payment = listed.data.items.find((item) => item.id === id && item.kind === wanted);
  return payment ? { found: payment } : { missing: true };
}

interface LessonList {
  readonly access: "full" | "preview";
  readonly lessons: ReadonlyArray<{ readonly id: string; readonly position: number }>;
}

export interface CourseAccess {
  readonly open: boolean;
  /** Where to start: the course's first lesson. */
  readonly firstLessonId: string | undefined;
}

/** Whether every lesson of the course is open to the visitor now (the courses service's own answer). */
export async function courseAccess(caller: ApiCaller, courseId: string): Promise<CourseAccess | undefined> {
  const list = await callApi<LessonList>(caller, `/api/courses/${courseId}/lessons`);
  if (!list.ok) return undefined;
  const first = [...list.data.lessons].sort((a, b) => a.position - b.position)[0];
  return { open: list.data.access === "full", firstLessonId: first?.id };
}

/** The course a purchase was for, as the visitor may see it (for its title and address). */
export async function purchasedCourse(caller: ApiCaller, courseId: string): Promise<Course | undefined> {
  const course = await callApi<Course>(caller, `/api/courses/${courseId}`);
  return course.ok ? course.data : undefined;
}

export type PurchaseOutcome =
  | { readonly state: "open"; readonly access: CourseAccess }
  /** The provider has not confirmed yet (or the grant is on its way): check again later. */
  | { readonly state: "confirming" }
  /** A bank debit: confirmed in days, not seconds. */
  | { readonly state: "processing" }
  | { readonly state: "failed" };

const FAILED = new Set(["failed", "expired"]);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits, briefly, for a purchase to open its course: asks for access and the payment's state up
 * to `ACCESS_CHECKS` times, a second apart, and stops as soon as either settles it.
 */
export async function waitForPurchase(
  caller: ApiCaller,
  payment: MyPayment,
  wait: (ms: number) => Promise<void> = pause,
): Promise<PurchaseOutcome> {
  const courseId = payment.courseId;
  if (!courseId) return { state: "failed" };
  let status = payment.status;
  for (let check = 1; ; check += 1) {
    if (FAILED.has(status)) return { state: "failed" };
    const access = await courseAccess(caller, courseId);
    if (access?.open) return { state: "open", access };
    if (status === "processing") return { state: "processing" };
    if (check >= ACCESS_CHECKS) return { state: "confirming" };
    await wait(PAUSE_MS);
    const again = await findMyPayment(caller, "payment", payment.id);
    if ("found" in again) status = again.found.status;
  }
}

/** Waits, briefly, for a subscription checkout to be confirmed (active, or active until its end). */
export async function waitForSubscription(
  caller: ApiCaller,
  subscription: MyPayment,
  wait: (ms: number) => Promise<void> = pause,
): Promise<"active" | "confirming" | "failed"> {
  let status = subscription.status;
  for (let check = 1; ; check += 1) {
    if (status === "active" || status === "canceling") return "active";
    if (status === "expired" || status === "canceled") return "failed";
    if (check >= ACCESS_CHECKS) return "confirming";
    await wait(PAUSE_MS);
    const again = await findMyPayment(caller, "subscription", subscription.id);
    if ("found" in again) status = again.found.status;
  }
}
