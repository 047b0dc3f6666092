import { beforeAll, describe, expect, it, vi } from "vitest";
import { api, registerAndLogin } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { accessGrants, paymentEvents, paymentStatus } from "./support/ledger.ts";
import { checkout, lessonsAccess } from "./support/purchases.ts";
import { outcomesOf, stripe } from "./support/stripe.ts";
import type { MyPayments } from "./support/views.ts";

/**
 * The platform's first journey over HTTP, with Stripe played by the local stand-in behind the
 * official SDK: register → buy → the buyer pays at checkout → Stripe's signed webhook →
 * COURSE_PURCHASED → the courses service grants access → the lessons open.
 */

let author: Person;
let course: CourseBody;

beforeAll(async () => {
  author = await instructor("pay-journey-author");
  course = await publishedCourse(author, {
    price: { amountMinor: 4900, currency: "EUR" },
    title: "Paid journey course",
  });
});

describe("register and buy a course", () => {
  it("happy path: checkout through Stripe, fulfilment from the webhook, then the lessons unlock", async () => {
    const session = await registerAndLogin("buyer");
    const buyer = { userId: session.userId, token: session.tokens.accessToken };
    expect((await lessonsAccess(course, buyer)).access).toBe("preview");

    const opened = await checkout(buyer, course);
    expect(opened.paymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(opened.expiresAt).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);

    // The worker asked Stripe for a Checkout Session at the course's price, with an idempotency key of its own ids.
    const created = (await stripe.requests()).find(
      (request) => request.idempotencyKey === `checkout-course-${opened.paymentId}`,
    );
    expect(created).toMatchObject({ method: "POST", path: "/v1/checkout/sessions", status: 200 });
    expect(created?.params).toMatchObject({
      mode: "payment",
      client_reference_id: opened.paymentId,
      metadata: { paymentId: opened.paymentId, userId: buyer.userId, courseId: course.id },
      payment_intent_data: { metadata: { paymentId: opened.paymentId } },
      line_items: [
        {
          quantity: "1",
          price_data: { currency: "eur", unit_amount: "4900", product_data: { name: "Paid journey course" } },
        },
      ],
    });

    // Coming back from checkout grants nothing: only the webhook does.
    expect(await paymentStatus(opened.paymentId)).toBe("pending");
    const mine = await api<MyPayments>("GET", "/api/payments/me", { token: buyer.token });
    expect(mine.body.items[0]).toMatchObject({
      id: opened.paymentId,
      status: "pending",
      checkoutUrl: opened.checkoutUrl,
    });

    const paid = await stripe.completeCheckout(opened.sessionId);
    expect(outcomesOf(paid.deliveries)).toEqual(["applied"]);
    expect(await paymentStatus(opened.paymentId)).toBe("paid");

    const { rows } = await db.query<{
      envelope: { data: Record<string, unknown>; metadata: { correlationId: string } };
    }>("select envelope from payments.outbox where type = 'COURSE_PURCHASED' and envelope->'data'->>'paymentId' = $1", [
      opened.paymentId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.envelope.data).toMatchObject({
      userId: buyer.userId,
      courseId: course.id,
      amountMinor: 4900,
      currency: "EUR",
      provider: "stripe",
      providerReference: expect.stringMatching(/^pi_/),
    });

    const lessons = await vi.waitFor(async () => {
      const listed = await lessonsAccess(course, buyer);
      expect(listed.access, "access granted from the purchase").toBe("full");
      return listed;
    }, ASYNC_EFFECTS);
    expect(lessons.lessons.length).toBeGreaterThan(1);
    expect(lessons.lessons.every((lesson) => !lesson.locked)).toBe(true);
    expect(await accessGrants([opened.paymentId])).toEqual({ events: 1, enrollments: 1 });

    const after = await api<MyPayments>("GET", "/api/payments/me", { token: buyer.token });
    expect(after.body.items[0]).toMatchObject({
      id: opened.paymentId,
      status: "paid",
      checkoutUrl: null,
      paidAt: expect.any(String),
    });

    const again = await api("POST", `/api/payments/courses/${course.id}`, { token: buyer.token });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a status history records every state the purchase went through and what moved it", async () => {
    const session = await registerAndLogin("history");
    const buyer = { userId: session.userId, token: session.tokens.accessToken };
    const opened = await checkout(buyer, course);
    const paid = await stripe.completeCheckout(opened.sessionId);
    const eventId = paid.events[0]?.id;
    const { rows } = await db.query<{
      from_status: string | null;
      to_status: string;
      cause: string;
      stripe_event_id: string | null;
    }>(
      "select from_status, to_status, cause, stripe_event_id from payments.payment_status_history where payment_id = $1 order by at, id",
      [opened.paymentId],
    );
    expect(rows).toEqual([
      { from_status: null, to_status: "pending", cause: "checkout requested", stripe_event_id: null },
      { from_status: "pending", to_status: "paid", cause: "checkout.session.completed", stripe_event_id: eventId },
    ]);
    expect(await paymentEvents("COURSE_PURCHASED", [opened.paymentId])).toBe(1);
  });
});
