import { beforeAll, describe, expect, it } from "vitest";
import { payloadOf, signatureFor, type EventObject } from "@platform/stripe-stand-in";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { accessGrants, paymentEvents, paymentStatus } from "./support/ledger.ts";
import { checkout, lessonsAccess } from "./support/purchases.ts";
import { eventOfType, postWebhook, sessionIdOf, stripe, webhookSecret } from "./support/stripe.ts";
import type { SubscriptionCheckout } from "./support/views.ts";

/**
 * A validly signed event is Stripe's word that money moved, not that it moved for the purchase we
 * created: an event that would grant access must agree with what we created (amount, currency,
 * checkout session, buyer; for subscriptions the customer and Stripe subscription too). One that
 * does not is answered 200 `refused` (Stripe need not retry it), recorded in
 * payments.event_mismatches, and grants nothing; redelivering it changes nothing. The genuine
 * event still fulfils.
 */

type Json = Record<string, unknown>;

/** The event as Stripe could have sent it, changed as `change` says, with its own id. */
function variant(event: EventObject, id: string, change: (object: Json) => void): EventObject {
  const copy = structuredClone(event) as EventObject & { data: { object: Json } };
  copy.id = `${event.id}_${id}`;
  change(copy.data.object);
  return copy;
}

/** Sends an event signed with the endpoint's real secret, as Stripe would. */
async function send(event: EventObject) {
  const payload = payloadOf(event);
  return postWebhook(payload, { "stripe-signature": signatureFor(payload, webhookSecret) });
}

async function mismatchesOf(column: "payment_id" | "subscription_id", id: string) {
  const { rows } = await db.query<{
    stripe_event_id: string;
    event_type: string;
    differences: Json[];
    decision: string;
  }>(
    `select stripe_event_id, event_type, differences, decision from payments.event_mismatches where ${column} = $1 order by at, id`,
    [id],
  );
  return rows;
}

async function eventOutcome(eventId: string) {
  const { rows } = await db.query<{ outcome: string }>(
    "select outcome from payments.stripe_events where event_id = $1",
    [eventId],
  );
  return rows[0]?.outcome;
}

describe("a course purchase's checkout.session.completed", () => {
  let course: CourseBody;
  let buyer: Person;
  let paymentId: string;
  let genuine: EventObject;

  beforeAll(async () => {
    course = await publishedCourse(await instructor("mismatch-author"), {
      price: { amountMinor: 1900, currency: "EUR" },
    });
    buyer = await learner("mismatch-buyer");
    const opened = await checkout(buyer, course);
    paymentId = opened.paymentId;
    // The buyer pays; Stripe's own event is kept back, and altered copies of it go first.
    genuine = eventOfType(
      (await stripe.completeCheckout(opened.sessionId, { deliver: false })).events,
      "checkout.session.completed",
    );
  });

  it.each([
    ["wrong-amount", "amount", (object: Json) => void (object.amount_total = 100)],
    ["wrong-currency", "currency", (object: Json) => void (object.currency = "usd")],
    ["wrong-session", "checkoutSession", (object: Json) => void (object.id = "cs_test_someoneElsesSession")],
    [
      "wrong-buyer",
      "buyer",
      (object: Json) => void (object.metadata = { ...(object.metadata as Json), userId: crypto.randomUUID() }),
    ],
  ])("refuses a correctly signed completion with the %s, records why, grants nothing", async (tag, field, change) => {
    const altered = variant(genuine, tag, change);
    const answer = await send(altered);
    expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "refused" } });
    expect(await paymentStatus(paymentId)).toBe("pending");
    expect(await eventOutcome(altered.id)).toBe("refused");
    const recorded = (await mismatchesOf("payment_id", paymentId)).find((row) => row.stripe_event_id === altered.id);
    expect(recorded).toMatchObject({
      event_type: "checkout.session.completed",
      differences: [{ field }],
      decision: "refused",
    });
    expect(await paymentEvents("COURSE_PURCHASED", [paymentId])).toBe(0);

    // Redelivered (Stripe retries; an attacker replays): still refused, still pending.
    expect(await send(altered)).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await paymentStatus(paymentId)).toBe("pending");
  });

  it("says exactly what differed: the amount we asked and the amount the event claims", async () => {
    const [first] = await mismatchesOf("payment_id", paymentId);
    expect(first?.differences).toEqual([{ field: "amount", expected: 1900, received: 100 }]);
  });

  it("the genuine completion still fulfils, once; a mismatched one after it takes nothing away", async () => {
    expect(await send(genuine)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect(await paymentEvents("COURSE_PURCHASED", [paymentId])).toBe(1);
    await expect
      .poll(async () => (await accessGrants([paymentId])).enrollments, {
        ...ASYNC_EFFECTS,
        message: "the purchase to grant access",
      })
      .toBe(1);
    expect((await lessonsAccess(course, buyer)).access).toBe("full");

    const late = variant(genuine, "late-wrong-amount", (object) => void (object.amount_total = 1));
    expect(await send(late)).toMatchObject({ status: 200, body: { outcome: "refused" } });
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect(await paymentEvents("COURSE_PURCHASED", [paymentId])).toBe(1);
  });
});

describe("a charge.refunded that disagrees with the purchase", () => {
  it("is applied all the same (it only takes access away), and recorded as applied", async () => {
    const course = await publishedCourse(await instructor("mismatch-refund-author"), {
      price: { amountMinor: 2900, currency: "EUR" },
    });
    const buyer = await learner("mismatch-refund-buyer");
    const opened = await checkout(buyer, course);
    await stripe.completeCheckout(opened.sessionId);
    expect(await paymentStatus(opened.paymentId)).toBe("paid");
    const { rows } = await db.query<{ payment_intent_id: string }>(
      "select payment_intent_id from payments.payments where id = $1",
      [opened.paymentId],
    );
    const intent = await stripe.object<{ latest_charge: string }>(String(rows[0]?.payment_intent_id));
    const genuine = eventOfType(
      (await stripe.refundCharge(intent.latest_charge, { deliver: false })).events,
      "charge.refunded",
    );
    const altered = variant(genuine, "usd", (object) => void (object.currency = "usd"));

    expect(await send(altered)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(await paymentStatus(opened.paymentId)).toBe("refunded");
    expect(await paymentEvents("PAYMENT_REFUNDED", [opened.paymentId])).toBe(1);
    const { rows: recorded } = await db.query<{ stripe_event_id: string; decision: string; differences: Json[] }>(
      "select stripe_event_id, decision, differences from payments.event_mismatches where payment_id = $1",
      [opened.paymentId],
    );
    expect(recorded).toEqual([
      {
        stripe_event_id: altered.id,
        decision: "applied",
        differences: [{ field: "currency", expected: "EUR", received: "USD" }],
      },
    ]);
  });
});

describe("a subscription's invoice.paid and checkout completion", () => {
  it("refuses a paid invoice or completion that does not match the subscription; the genuine ones activate it", async () => {
    const manager = await admin("mismatch-plans");
    const plan = await api<{ id: string }>("POST", "/api/payments/plans", {
      token: manager.token,
      body: {
        name: `Mismatch monthly ${crypto.randomUUID().slice(0, 8)}`,
        interval: "month",
        price: { amountMinor: 1900, currency: "EUR" },
      },
    });
    expect(plan.status).toBe(201);
    const subscriber = await learner("mismatch-subscriber");
    const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token: subscriber.token,
      body: { planId: plan.body.id },
    });
    expect(opened.status).toBe(201);
    const { subscriptionId } = opened.body;
    const paid = await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl), { deliver: false });
    const invoice = eventOfType(paid.events, "invoice.paid");
    const completed = eventOfType(paid.events, "checkout.session.completed");
    const created = eventOfType(paid.events, "customer.subscription.created");

    const lowInvoice = variant(invoice, "low", (object) => {
      const lines = object.lines as { data: Json[] };
      for (const line of lines.data) line.amount = 50;
    });
    const otherCurrency = variant(completed, "usd", (object) => void (object.currency = "usd"));
    for (const altered of [lowInvoice, otherCurrency]) {
      expect(await send(altered), altered.id).toMatchObject({ status: 200, body: { outcome: "refused" } });
    }
    const status = async () =>
      (
        await db.query<{ lifecycle: string }>("select lifecycle from payments.subscriptions where id = $1", [
          subscriptionId,
        ])
      ).rows[0]?.lifecycle;
    expect(await status()).toBe("incomplete");
    expect(await paymentEvents("SUBSCRIPTION_CREATED", [subscriptionId], "subscriptionId")).toBe(0);
    expect((await mismatchesOf("subscription_id", subscriptionId)).map((row) => row.differences)).toEqual([
      [{ field: "amount", expected: 1900, received: 50 }],
      [{ field: "currency", expected: "EUR", received: "USD" }],
    ]);

    // Stripe's own events, in its order: active, announced once.
    for (const event of [created, invoice, completed]) {
      expect((await send(event)).status).toBe(200);
    }
    expect(await status()).toBe("active");
    expect(await paymentEvents("SUBSCRIPTION_CREATED", [subscriptionId], "subscriptionId")).toBe(1);

    // Once the customer is known, a paid invoice naming another customer is not this subscription's.
    const stranger = variant(invoice, "other-customer", (object) => void (object.customer = "cus_someoneElse"));
    expect(await send(stranger)).toMatchObject({ status: 200, body: { outcome: "refused" } });
    expect((await mismatchesOf("subscription_id", subscriptionId)).at(-1)?.differences).toEqual([
      { field: "customer", expected: String((completed.data.object as Json).customer), received: "cus_someoneElse" },
    ]);
  });
});
