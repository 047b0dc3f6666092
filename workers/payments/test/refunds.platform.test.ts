import { beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { checkout, lessonsAccess } from "./support/purchases.ts";
import { outcomesOf, stripe } from "./support/stripe.ts";
import { paymentEvents, paymentStatus } from "./support/ledger.ts";
import type { Refunded } from "./support/views.ts";

/** processRefund: the buyer within the window or an admin; the refund goes through Stripe and the access ends. */

let author: Person;
let course: CourseBody;

beforeAll(async () => {
  author = await instructor("refund-author");
  course = await publishedCourse(author, { price: { amountMinor: 5900, currency: "EUR" } });
});

/** A learner who has bought the course and can open it. */
async function owner(tag: string) {
  const buyer = await learner(tag);
  const opened = await checkout(buyer, course);
  await stripe.completeCheckout(opened.sessionId);
  await vi.waitFor(
    async () => expect((await lessonsAccess(course, buyer)).access, "access from the purchase").toBe("full"),
    ASYNC_EFFECTS,
  );
  return { buyer, paymentId: opened.paymentId };
}

const refund = (person: Person, paymentId: string) =>
  api<Refunded>("POST", `/api/payments/${paymentId}/refund`, { token: person.token });

describe("refunds", () => {
  it("happy path: the buyer refunds; Stripe refunds the charge once, PAYMENT_REFUNDED is written and access is gone", async () => {
    const { buyer, paymentId } = await owner("refunding-buyer");
    const answer = await refund(buyer, paymentId);
    expect(answer.status).toBe(200);
    expect(answer.body.payment).toMatchObject({ status: "refunded", refundedAt: expect.any(String) });
    expect(answer.body.refund).toMatchObject({
      providerRefundId: expect.stringMatching(/^re_/),
      price: { amountMinor: 5900 },
    });

    const call = (await stripe.requests()).find((request) => request.idempotencyKey === `refund-${paymentId}`);
    expect(call).toMatchObject({
      method: "POST",
      path: "/v1/refunds",
      status: 200,
      params: { amount: "5900", metadata: { paymentId } },
    });
    expect(await paymentEvents("PAYMENT_REFUNDED", [paymentId])).toBe(1);

    await expect
      .poll(async () => (await lessonsAccess(course, buyer)).access, {
        ...ASYNC_EFFECTS,
        message: "the refund to lock the course",
      })
      .toBe("preview");
    const { rows } = await db.query(
      "select 1 from courses.outbox where type = 'COURSE_ACCESS_REVOKED' and envelope->'data'->>'reference' = $1",
      [paymentId],
    );
    expect(rows).toHaveLength(1);

    // Stripe's own charge.refunded webhook follows; it changes nothing.
    await stripe.flush();
    const refunded = await stripe.events({ type: "charge.refunded" });
    const ours = refunded.filter(
      (event) => (event.data.object as { metadata: Record<string, string> }).metadata.paymentId === paymentId,
    );
    expect(ours).toHaveLength(1);
    expect(await paymentEvents("PAYMENT_REFUNDED", [paymentId])).toBe(1);
    expect((await refund(buyer, paymentId)).status).toBe(409);
  });

  it("a buyer cannot refund another buyer's payment (404: it is not theirs to know of)", async () => {
    const { paymentId } = await owner("victim-buyer");
    const other = await learner("other-buyer");
    const answer = await refund(other, paymentId);
    expect(answer.status).toBe(404);
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect((await stripe.requests()).some((request) => request.idempotencyKey === `refund-${paymentId}`)).toBe(false);
  });

  it("past the refund window the buyer is refused (403) but an admin may still refund", async () => {
    const { buyer, paymentId } = await owner("late-buyer");
    await db.query("update payments.payments set paid_at = now() - interval '15 days' where id = $1", [paymentId]);
    const late = await refund(buyer, paymentId);
    expect(late.status).toBe(403);
    expect(String((late.body as unknown as { detail: string }).detail)).toContain("14 days");
    const byAdmin = await refund(await admin("refund-admin"), paymentId);
    expect(byAdmin.status).toBe(200);
    await expect
      .poll(async () => (await lessonsAccess(course, buyer)).access, {
        ...ASYNC_EFFECTS,
        message: "access revoked by the admin's refund",
      })
      .toBe("preview");
  });

  it("an unpaid purchase cannot be refunded (409), and concurrent refunds make one refund", async () => {
    const waiting = await learner("unpaid-buyer");
    const opened = await checkout(waiting, course);
    expect((await refund(waiting, opened.paymentId)).status).toBe(409);

    const { buyer, paymentId } = await owner("double-refund");
    const answers = await Promise.all([refund(buyer, paymentId), refund(buyer, paymentId), refund(buyer, paymentId)]);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const { rows } = await db.query("select provider_refund_id from payments.refunds where payment_id = $1", [
      paymentId,
    ]);
    expect(rows).toHaveLength(1);
    expect(await paymentEvents("PAYMENT_REFUNDED", [paymentId])).toBe(1);
  });

  it("a refund made in Stripe's dashboard arrives as charge.refunded and revokes access too", async () => {
    const { buyer, paymentId } = await owner("dashboard-refund");
    const { rows } = await db.query<{ payment_intent_id: string }>(
      "select payment_intent_id from payments.payments where id = $1",
      [paymentId],
    );
    const intent = await stripe.object<{ latest_charge: string }>(String(rows[0]?.payment_intent_id));
    const refunded = await stripe.refundCharge(intent.latest_charge);
    expect(outcomesOf(refunded.deliveries)).toContain("applied");
    expect(await paymentStatus(paymentId)).toBe("refunded");
    await expect
      .poll(async () => (await lessonsAccess(course, buyer)).access, {
        ...ASYNC_EFFECTS,
        message: "access revoked by the dashboard refund",
      })
      .toBe("preview");
  });
});
