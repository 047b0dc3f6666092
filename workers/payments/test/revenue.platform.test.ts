import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { api } from "../../../test/support/api.ts";
import { publishedCourse, uniqueSlug, type CourseBody } from "../../../test/support/courses.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { paymentStatus } from "./support/ledger.ts";
import { checkout } from "./support/purchases.ts";
import { stripe } from "./support/stripe.ts";

/**
 * An author's revenue through the gateway, from purchases made the real way (checkout at the
 * Stripe stand-in, the webhook, a refund through the API) and with the courses worker's own
 * authoring rule over the service binding (`mayEditCourses`): the author and admins see it,
 * another instructor and a learner do not, a course that does not exist is a 404.
 */
interface CurrencyRevenue {
  currency: string;
  grossMinor: number;
  refundedMinor: number;
  netMinor: number;
  purchases: number;
  refunds: number;
  disputes: number;
}
interface Revenue {
  courses: { courseId: string; revenue: CurrencyRevenue[] }[];
}

let author: Person;
let course: CourseBody;
let draftId: string;

/** A learner who pays for the course at the stand-in's checkout; resolves once the webhook made it paid. */
async function paidPurchase(tag: string): Promise<{ buyer: Person; paymentId: string }> {
  const buyer = await learner(tag);
  const opened = await checkout(buyer, course);
  await stripe.completeCheckout(opened.sessionId);
  await vi.waitFor(async () => expect(await paymentStatus(opened.paymentId)).toBe("paid"), ASYNC_EFFECTS);
  return { buyer, paymentId: opened.paymentId };
}

beforeAll(async () => {
  author = await instructor("revenue-author");
  course = await publishedCourse(author, { price: { amountMinor: 4900, currency: "EUR" } });
  await paidPurchase("revenue-buyer-kept");
  const refunded = await paidPurchase("revenue-buyer-refunded");
  const refund = await api("POST", `/api/payments/${refunded.paymentId}/refund`, { token: refunded.buyer.token });
  expect(refund.status).toBe(200);
  // The author moves the course to another currency; the next buyer pays in it.
  const repriced = await api("PATCH", `/api/courses/${course.id}`, {
    token: author.token,
    body: { price: { amountMinor: 2500, currency: "USD" } },
  });
  expect(repriced.status).toBe(200);
  await paidPurchase("revenue-buyer-usd");
  const draft = await api<{ id: string }>("POST", "/api/courses", {
    token: author.token,
    body: { title: "Not out yet", slug: uniqueSlug("revenue-draft"), summary: "Soon.", price: null },
  });
  expect(draft.status).toBe(201);
  draftId = draft.body.id;
}, 120_000);

const revenue = (person: Person, ids: readonly string[]) =>
  api<Revenue & ProblemDetails>("GET", `/api/payments/revenue?${ids.map((id) => `courseId=${id}`).join("&")}`, {
    token: person.token,
  });

describe("GET /api/payments/revenue through the gateway", () => {
  it("shows the author each course's sales per currency, refunds taken off, a draft with none", async () => {
    const answer = await revenue(author, [course.id, draftId]);
    expect(answer.status).toBe(200);
    expect(answer.body.courses).toEqual([
      {
        courseId: course.id,
        revenue: [
          {
            currency: "EUR",
            grossMinor: 9800,
            refundedMinor: 4900,
            netMinor: 4900,
            purchases: 2,
            refunds: 1,
            disputes: 0,
          },
          {
            currency: "USD",
            grossMinor: 2500,
            refundedMinor: 0,
            netMinor: 2500,
            purchases: 1,
            refunds: 0,
            disputes: 0,
          },
        ],
      },
      { courseId: draftId, revenue: [] },
    ]);
    expect(answer.headers.get("cache-control")).toContain("no-store");
  });

  it("refuses another instructor (published course or draft) and a learner; an admin sees any course", async () => {
    const other = await instructor("revenue-other-author");
    for (const ids of [[course.id], [draftId]]) {
      const refused = await revenue(other, ids);
      expect(refused.status, ids.join()).toBe(403);
      expect(refused.body.type).toBe("/problems/forbidden");
      expect(refused.body.courses).toBeUndefined();
    }
    // Their own course beside the author's does not open the author's.
    const theirs = await publishedCourse(other, { price: null });
    const mixed = await revenue(other, [theirs.id, course.id]);
    expect(mixed.status).toBe(403);
    expect(mixed.body.errors).toEqual([{ path: "query.courseId.1", message: "Not your course" }]);

    const buyer = await learner("revenue-learner");
    expect((await revenue(buyer, [course.id])).status).toBe(403);

    const anAdmin = await admin("revenue-admin");
    const seen = await revenue(anAdmin, [course.id, theirs.id]);
    expect(seen.status).toBe(200);
    expect(seen.body.courses.map((entry) => entry.revenue.length)).toEqual([2, 0]);
  });

  it("answers 404 for a course that does not exist and 400 for an id that is not one", async () => {
    const missing = await revenue(author, [course.id, "01a2f0ff-0000-7000-8000-00000000dead"]);
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual([{ path: "query.courseId.1", message: "No such course" }]);
    const malformed = await revenue(author, ["not-a-course"]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((error) => error.path)).toContain("query.courseId.0");
  });
});
