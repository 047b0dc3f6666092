import { contentSecurityPolicy } from "../middleware/content-security-policy";
import { callApi, type ApiCaller } from "./api";
import type { Course } from "./catalog";
import { coursePath, lessonHref } from "./course-syllabus";

/**
 * What the course page's Enroll and Buy buttons do, for a signed-in visitor (the page sends
 * anyone else to sign in first). Each answers where to send the browser next (post/redirect/get),
 * or why it could not be done, as a problem the page words in the visitor's language.
 */
export type ActionOutcome =
  | { readonly ok: true; readonly redirect: string }
  | { readonly ok: false; readonly problem: ActionProblem; readonly status: number };

export type ActionProblem =
  "paidCourse" | "freeCourse" | "alreadyYours" | "notForSale" | "paymentProvider" | "throttled" | "unavailable";

/** The purchase API's answer (`POST /api/payments/courses/{id}`). */
interface Checkout {
  readonly paymentId: string;
  readonly checkoutUrl: string;
}

function problemFor(status: number, whenConflict: ActionProblem, whenUnprocessable: ActionProblem): ActionOutcome {
  const problem: ActionProblem =
    status === 409
      ? whenConflict
      : status === 422
        ? whenUnprocessable
        : status === 404
          ? "notForSale"
          : status === 429
            ? "throttled"
            : status === 502
              ? "paymentProvider"
              : "unavailable";
  return { ok: false, problem, status: status >= 400 && status < 600 ? status : 503 };
}

/**
 * Joins a free course (`POST /api/courses/{id}/enroll`) and opens its first lesson; a course
 * without lessons yet opens its page again (which then says "Continue").
 */
export async function enroll(
  caller: ApiCaller,
  course: Course,
  firstLessonId: string | undefined,
): Promise<ActionOutcome> {
  const result = await callApi(caller, `/api/courses/${course.id}/enroll`, { method: "POST" });
  if (!result.ok) return problemFor(result.status, "paidCourse", "paidCourse");
  return { ok: true, redirect: firstLessonId ? lessonHref(course.slug, firstLessonId) : coursePath(course.slug) };
}

/**
 * Whether the page's Content-Security-Policy lets a form lead to this address. A checkout the
 * policy does not name (a local Stripe stand-in, another Stripe domain) is reached through the
 * hand-off page instead (pages/checkout/pay.astro): a link, which `form-action` does not govern.
 */
export function formMayLeadTo(target: URL, page: URL): boolean {
  const directive = contentSecurityPolicy(page.protocol === "https:")
    .split(";")
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name === "form-action");
  const sources = directive?.slice(1) ?? [];
  return sources.some((source) => (source === "'self'" ? target.origin === page.origin : source === target.origin));
}

/**
 * Opens a checkout for a paid course (`POST /api/payments/courses/{id}`): the payments service
 * answers the checkout page (Stripe's, or the local sandbox's) and grants access when the payment
 * is confirmed to it, never when the browser comes back. Asking again while a checkout is open
 * answers the same one, so a double click does not open two.
 */
export async function buy(caller: ApiCaller, course: Course, page: URL): Promise<ActionOutcome> {
  const result = await callApi<Checkout>(caller, `/api/payments/courses/${course.id}`, { method: "POST" });
  if (!result.ok) return problemFor(result.status, "alreadyYours", "freeCourse");
  let checkout: URL;
  try {
    checkout = new URL(result.data.checkoutUrl, page);
  } catch {
    return { ok: false, problem: "paymentProvider", status: 502 };
  }
  if (checkout.protocol !== "https:" && checkout.protocol !== "http:") {
    return { ok: false, problem: "paymentProvider", status: 502 };
  }
  if (formMayLeadTo(checkout, page)) return { ok: true, redirect: checkout.href };
  return { ok: true, redirect: `/checkout/pay?payment=${encodeURIComponent(result.data.paymentId)}` };
}
