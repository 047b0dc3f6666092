import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import type {
  CustomerObject,
  DeletedCustomerObject,
  SessionObject,
  SubscriptionObject,
} from "@platform/stripe-stand-in";
import { api } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { checkout } from "./support/purchases.ts";
import { eventOfType, outcomesOf, sessionIdOf, stripe } from "./support/stripe.ts";
import type { Plan, SubscriptionCheckout } from "./support/views.ts";

/**
 * Erasure reaches Stripe, on the whole stack: DELETE /api/users/me → USER_DELETED → the payments
 * worker pseudonymises its rows and then, through the official SDK and the stand-in, expires the
 * open checkout, ends the subscription and deletes the customer (with the email typed at
 * checkout). Stripe events that arrive later about the erased buyer write the id nowhere.
 */

const EMAIL = `erased-${crypto.randomUUID().slice(0, 8)}@example.test`;
let person: Person;
let courses: CourseBody[];
let plan: Plan;
/** Stripe's ids for what the learner had, before the erasure. */
const at = {
  paidSession: "",
  openSession: "",
  racingSession: "",
  racingPaymentId: "",
  subscriptionId: "",
  stripeSubscription: "",
  customer: "",
  /** The completion of the checkout paid at Stripe while the erasure ran, held back by the test. */
  lateCompletion: "",
};

const count = async (sql: string, ...params: unknown[]) => (await db.query(sql, params)).rowCount ?? 0;

/** Rows in any payments table whose text holds the id. The outbox aside: delivered rows are pruned on a schedule. */
async function paymentsRowsNaming(userId: string): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'payments' and table_type = 'BASE TABLE' and table_name not in ('outbox', '__drizzle_migrations')",
  );
  const found: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const n = await count(`select 1 from payments."${table}" t where t::text like '%' || $1 || '%'`, userId);
    if (n > 0) found[table] = n;
  }
  return found;
}

/** The stack's log lines about Stripe events that disagreed with what we created. */
const mismatchLogLines = () =>
  readFileSync(join(inject("logDir"), `wrangler-${new URL(inject("gatewayUrl")).port}.log`), "utf8")
    .split("\n")
    .filter((line) => line.includes("does not match what we created"));

beforeAll(async () => {
  const author = await instructor("stripe-erasure-author");
  courses = [];
  for (const title of ["Paid", "Left open", "Paid during erasure"]) {
    courses.push(await publishedCourse(author, { title, price: { amountMinor: 2900, currency: "EUR" } }));
  }
  const created = await api<Plan>("POST", "/api/payments/plans", {
    token: (await admin("stripe-erasure-admin")).token,
    body: {
      name: `Erasure plan ${crypto.randomUUID().slice(0, 8)}`,
      interval: "month",
      price: { amountMinor: 1900, currency: "EUR" },
    },
  });
  expect(created.status).toBe(201);
  plan = created.body;
  person = await learner("stripe-erasure");
});

describe("erasure at Stripe", () => {
  it("erasure deletes the subscriber's Stripe customer, ends the subscription at Stripe and expires the open checkout", async () => {
    const [paidCourse, openCourse, racingCourse] = courses as [CourseBody, CourseBody, CourseBody];
    // A course bought and paid; a second checkout left open; a third paid at Stripe whose event is late.
    const paid = await checkout(person, paidCourse);
    await stripe.completeCheckout(paid.sessionId, { email: EMAIL });
    const open = await checkout(person, openCourse);
    const racing = await checkout(person, racingCourse);
    const held = await stripe.completeCheckout(racing.sessionId, { email: EMAIL, deliver: false });
    Object.assign(at, {
      paidSession: paid.sessionId,
      openSession: open.sessionId,
      racingSession: racing.sessionId,
      racingPaymentId: racing.paymentId,
      lateCompletion: eventOfType(held.events, "checkout.session.completed").id,
    });

    // And a subscription, paid with the email typed at checkout: Stripe keeps it on a Customer.
    const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token: person.token,
      body: { planId: plan.id },
    });
    expect(opened.status).toBe(201);
    const started = await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl), { email: EMAIL });
    const completed = eventOfType(started.events, "checkout.session.completed").data.object as SessionObject;
    Object.assign(at, {
      subscriptionId: opened.body.subscriptionId,
      stripeSubscription: String(completed.subscription),
      customer: String(completed.customer),
    });
    await vi.waitFor(async () => {
      const { rows } = await db.query(
        "select lifecycle, stripe_customer_id from payments.subscriptions where id = $1",
        [at.subscriptionId],
      );
      expect(rows).toEqual([{ lifecycle: "active", stripe_customer_id: at.customer }]);
    }, ASYNC_EFFECTS);
    expect(await stripe.object<CustomerObject>(at.customer)).toMatchObject({ email: EMAIL });

    expect((await api("DELETE", "/api/users/me", { token: person.token })).status).toBe(204);

    await vi.waitFor(async () => {
      const calls = (await stripe.requests()).map((request) => `${request.method} ${request.path} ${request.status}`);
      expect(calls).toEqual(
        expect.arrayContaining([
          `POST /v1/checkout/sessions/${at.openSession}/expire 200`,
          `DELETE /v1/subscriptions/${at.stripeSubscription} 200`,
          `DELETE /v1/customers/${at.customer} 200`,
        ]),
      );
    }, ASYNC_EFFECTS);
    // The checkout paid at Stripe before it could be expired: Stripe refuses, and that counts as done.
    expect((await stripe.requests()).filter((request) => request.path.includes(at.racingSession))).toEqual([
      expect.objectContaining({ method: "POST", status: 400 }),
    ]);

    // At Stripe: the customer is gone with its email, the subscription ended, the open checkout expired.
    const customer = await stripe.object<DeletedCustomerObject>(at.customer);
    expect(customer).toEqual({ id: at.customer, object: "customer", deleted: true });
    expect(await stripe.object<SubscriptionObject>(at.stripeSubscription)).toMatchObject({ status: "canceled" });
    expect(await stripe.object<SessionObject>(at.openSession)).toMatchObject({ status: "expired", url: null });

    const { payment_intent: intent } = await stripe.object<SessionObject>(at.paidSession);
    // Here: the tasks are done, and Stripe's own events about them were applied to the pseudonymised rows.
    await vi.waitFor(async () => {
      const { rows } = await db.query(
        "select lifecycle, erased_at is not null as erased, user_id <> $2 as pseudonym from payments.subscriptions where id = $1",
        [at.subscriptionId, person.userId],
      );
      expect(rows).toEqual([{ lifecycle: "canceled", erased: true, pseudonym: true }]);
      expect((await db.query("select status from payments.payments where id = $1", [open.paymentId])).rows).toEqual([
        { status: "expired" },
      ]);
      expect(
        await count("select 1 from payments.provider_erasures where stripe_id = any($1) and done_at is null", [
          at.openSession,
          at.racingSession,
          at.stripeSubscription,
          at.customer,
          intent,
        ]),
      ).toBe(0);
    }, ASYNC_EFFECTS);
    // Last, our id is dropped from the metadata Stripe keeps: the subscription's, the intent's.
    const { metadata } = await stripe.object<SubscriptionObject>(at.stripeSubscription);
    expect(metadata).toEqual({ subscriptionId: at.subscriptionId, planId: plan.id });
    expect((await stripe.object<{ metadata: Record<string, string> }>(String(intent))).metadata).not.toHaveProperty(
      "userId",
    );
    expect(await paymentsRowsNaming(person.userId)).toEqual({});
  });

  it("a late Stripe event about an erased buyer names nobody: a refund is applied, a payment is refused and left to an operator", async () => {
    // A refund made in the dashboard after the erasure: taking away is applied, with no mismatch. The
    // charge's metadata still names the buyer (we never learnt the charge's id, so it was not scrubbed).
    const { rows } = await db.query<{ id: string }>("select id from payments.payments where checkout_session_id = $1", [
      at.paidSession,
    ]);
    const [bought] = rows;
    if (!bought) throw new Error("the paid purchase is missing");
    const { payment_intent: intent } = await stripe.object<SessionObject>(at.paidSession);
    const { latest_charge: charge } = await stripe.object<{ latest_charge: string }>(String(intent));
    expect((await stripe.object<{ metadata: Record<string, string> }>(charge)).metadata).toMatchObject({
      userId: person.userId,
    });
    const refund = await stripe.refundCharge(charge);
    expect(outcomesOf(refund.deliveries)).toContain("applied");
    expect((await db.query("select status from payments.payments where id = $1", [bought.id])).rows).toEqual([
      { status: "refunded" },
    ]);
    expect(await count("select 1 from payments.event_mismatches where payment_id = $1", bought.id)).toBe(0);

    // The completion of the checkout paid while the erasure ran: refused, recorded without the id.
    const late = await stripe.deliverEvent(at.lateCompletion);
    expect(outcomesOf(late.deliveries)).toEqual(["refused"]);
    expect((await db.query("select status from payments.payments where id = $1", [at.racingPaymentId])).rows).toEqual([
      { status: "pending" },
    ]);
    expect(
      (
        await db.query("select decision, differences from payments.event_mismatches where payment_id = $1", [
          at.racingPaymentId,
        ])
      ).rows,
    ).toEqual([{ decision: "refused", differences: [{ field: "buyer", expected: null, received: "erased" }] }]);
    // No automatic refund: an operator refunds it from the mismatch list (docs/identity.md).
    expect(
      (await stripe.requests()).filter((request) => request.idempotencyKey === `refund-${at.racingPaymentId}`),
    ).toEqual([]);

    expect(await paymentsRowsNaming(person.userId)).toEqual({});
    // Wrangler writes log lines asynchronously: give the refusal's line time to land before reading.
    await vi.waitFor(
      () => expect(mismatchLogLines().some((line) => line.includes(at.racingPaymentId))).toBe(true),
      ASYNC_EFFECTS,
    );
    expect(mismatchLogLines().filter((line) => line.includes(person.userId))).toEqual([]);
  });
});
