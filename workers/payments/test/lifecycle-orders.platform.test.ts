import { beforeAll, describe, expect, it } from "vitest";
import type { EventObject, SubscriptionObject } from "@platform/stripe-stand-in";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { seededRandom, withRedeliveries } from "./support/random.ts";
import { checkout, lessonsAccess } from "./support/purchases.ts";
import { paymentEvents, paymentStatus } from "./support/ledger.ts";
import { stripe } from "./support/stripe.ts";
import type { Plan, Subscription, SubscriptionCheckout } from "./support/views.ts";

/**
 * Property test over HTTP: Stripe's events for a purchase or a subscription, delivered in a
 * seeded random order with redeliveries, through the real webhook endpoint, database and
 * courses service. Whatever the order, the final state, the events written and the access are
 * the ones the lifecycle calls for. A failure names the seed and the order.
 */

const SEEDS = 6;
const SUBSCRIPTION_SEEDS = 4;

type Step = (ids: { sessionId: string }) => Promise<EventObject[]>;
const chargeOf = async (sessionId: string) => {
  const session = await stripe.object<{ payment_intent: string }>(sessionId);
  return (await stripe.object<{ latest_charge: string }>(session.payment_intent)).latest_charge;
};
const card: Step = async ({ sessionId }) => (await stripe.completeCheckout(sessionId, { deliver: false })).events;
const bankDebit: Step = async ({ sessionId }) =>
  (await stripe.completeCheckout(sessionId, { payment: "processing", deliver: false })).events;
const settles: Step = async ({ sessionId }) =>
  (await stripe.settleCheckout(sessionId, "succeeded", { deliver: false })).events;
const bounces: Step = async ({ sessionId }) =>
  (await stripe.settleCheckout(sessionId, "failed", { deliver: false })).events;
const refund: Step = async ({ sessionId }) =>
  (await stripe.refundCharge(await chargeOf(sessionId), { deliver: false })).events;
const dispute: Step = async ({ sessionId }) =>
  (await stripe.disputeCharge(await chargeOf(sessionId), { deliver: false })).events;
const abandon: Step = async ({ sessionId }) => (await stripe.expireCheckout(sessionId, { deliver: false })).events;

const PURCHASES: ReadonlyArray<{ name: string; steps: Step[]; ends: string; access: boolean }> = [
  { name: "card", steps: [card], ends: "paid", access: true },
  { name: "card, refunded", steps: [card, refund], ends: "refunded", access: false },
  { name: "card, disputed", steps: [card, dispute], ends: "disputed", access: true },
  { name: "card, disputed, refunded", steps: [card, dispute, refund], ends: "refunded", access: false },
  { name: "bank debit settles", steps: [bankDebit, settles], ends: "paid", access: true },
  { name: "bank debit fails", steps: [bankDebit, bounces], ends: "failed", access: false },
  { name: "bank debit settles, refunded", steps: [bankDebit, settles, refund], ends: "refunded", access: false },
  { name: "checkout abandoned", steps: [abandon], ends: "expired", access: false },
];

/** Delivers events one after another in the given order; every delivery must be accepted. */
async function deliverInOrder(events: readonly EventObject[]) {
  for (const event of events) {
    const { deliveries } = await stripe.deliverEvent(event.id);
    expect(deliveries[0]?.status, `${event.type}: ${deliveries[0]?.body}`).toBe(200);
  }
}

let author: Person;

beforeAll(async () => {
  author = await instructor("orders-author");
});

describe("random event orders", () => {
  it(`purchases: ${PURCHASES.length} lifecycles × ${SEEDS} seeded orders end in the right state, events and access`, async () => {
    const courses = await Promise.all(
      PURCHASES.map((_, index) => publishedCourse(author, { price: { amountMinor: 1500 + index, currency: "EUR" } })),
    );
    const buyers = await Promise.all(Array.from({ length: SEEDS }, (_, seed) => learner(`orders-buyer-${seed}`)));
    const runs = await Promise.all(
      buyers.flatMap((buyer, seed) =>
        PURCHASES.map(async (lifecycle, index) => {
          const course = courses[index] as CourseBody;
          const opened = await checkout(buyer, course);
          const events: EventObject[] = [];
          for (const step of lifecycle.steps) events.push(...(await step({ sessionId: opened.sessionId })));
          const order = withRedeliveries(events, seededRandom(1_000 * (seed + 1) + index), 2);
          await deliverInOrder(order);
          return {
            buyer,
            course,
            lifecycle,
            paymentId: opened.paymentId,
            context: `${lifecycle.name}, seed ${seed + 1}: ${order.map((event) => event.type).join(" → ")}`,
          };
        }),
      ),
    );
    for (const { lifecycle, paymentId, context } of runs) {
      expect(await paymentStatus(paymentId), context).toBe(lifecycle.ends);
      const purchased = await paymentEvents("COURSE_PURCHASED", [paymentId]);
      // Once when the buyer ends up owning it; a refund seen first means never; a failed or abandoned checkout never.
      if (lifecycle.access) expect(purchased, context).toBe(1);
      else if (lifecycle.ends === "refunded") expect(purchased, context).toBeLessThanOrEqual(1);
      else expect(purchased, context).toBe(0);
      expect(await paymentEvents("PAYMENT_REFUNDED", [paymentId]), context).toBe(lifecycle.ends === "refunded" ? 1 : 0);
    }
    await Promise.all(
      runs.map(async ({ buyer, course, lifecycle, paymentId, context }) => {
        if (lifecycle.access) {
          await expect
            .poll(async () => (await lessonsAccess(course, buyer)).access, {
              ...ASYNC_EFFECTS,
              message: `access: ${context}`,
            })
            .toBe("full");
        } else if (lifecycle.ends === "refunded") {
          // The refund reached the courses service. Whether the access is then gone is asserted in
          // refunds.platform.test.ts, not here: when the purchase and its refund reach that service in
          // one batch, it keeps the grant (a bug of its own: see refund-race.platform.test.ts).
          await expect
            .poll(
              async () => {
                const { rows } = await db.query(
                  "select 1 from courses.processed_events where event_id in (select id from payments.outbox where type = 'PAYMENT_REFUNDED' and envelope->'data'->>'paymentId' = $1)",
                  [paymentId],
                );
                return rows.length;
              },
              { ...ASYNC_EFFECTS, message: `refund applied by the courses service: ${context}` },
            )
            .toBe(1);
          if ((await paymentEvents("COURSE_PURCHASED", [paymentId])) === 0) {
            expect((await lessonsAccess(course, buyer)).access, context).toBe("preview");
          }
        } else {
          expect((await lessonsAccess(course, buyer)).access, context).toBe("preview");
        }
      }),
    );
  });

  it(`subscriptions: 6 lifecycles × ${SUBSCRIPTION_SEEDS} seeded orders end in the right state, events and access`, async () => {
    const manager = await admin("orders-admin");
    const plan = await api<Plan>("POST", "/api/payments/plans", {
      token: manager.token,
      body: {
        name: `Orders monthly ${crypto.randomUUID()}`,
        interval: "month",
        price: { amountMinor: 1200, currency: "EUR" },
      },
    });
    expect(plan.status).toBe(201);
    const anyCourse = await publishedCourse(author, { price: { amountMinor: 4000, currency: "EUR" } });
    const subscriptionOf = (events: readonly EventObject[]) =>
      String(
        (events.find((event) => event.type === "checkout.session.completed")?.data.object as { subscription: string })
          .subscription,
      );

    type SubStep = (ids: { sessionId: string; started: EventObject[] }) => Promise<EventObject[]>;
    const start: SubStep = async ({ sessionId, started }) => {
      started.push(...(await stripe.completeCheckout(sessionId, { deliver: false })).events);
      return started;
    };
    const cancelAtEnd: SubStep = async ({ started }) =>
      (await stripe.cancelSubscriptionAtPeriodEnd(subscriptionOf(started), { deliver: false })).events;
    const endNow: SubStep = async ({ started }) =>
      (await stripe.cancelSubscriptionNow(subscriptionOf(started), { deliver: false })).events;
    const renewFails: SubStep = async ({ started }) =>
      (await stripe.renewSubscription(subscriptionOf(started), { paid: false, deliver: false })).events;
    const renews: SubStep = async ({ started }) =>
      (await stripe.renewSubscription(subscriptionOf(started), { paid: true, deliver: false })).events;
    const abandonSub: SubStep = async ({ sessionId }) =>
      (await stripe.expireCheckout(sessionId, { deliver: false })).events;

    const LIFECYCLES: ReadonlyArray<{
      name: string;
      steps: SubStep[];
      status: string;
      access: boolean;
      ends: "none" | "period" | "now";
      periods: number;
    }> = [
      { name: "started", steps: [start], status: "active", access: true, ends: "none", periods: 1 },
      {
        name: "cancelled at period end",
        steps: [start, cancelAtEnd],
        status: "canceling",
        access: true,
        ends: "period",
        periods: 1,
      },
      { name: "ended at once", steps: [start, endNow], status: "canceled", access: false, ends: "now", periods: 1 },
      {
        name: "renewal failed",
        steps: [start, renewFails],
        status: "past_due",
        access: true,
        ends: "none",
        periods: 2,
      },
      { name: "renewed", steps: [start, renews], status: "active", access: true, ends: "none", periods: 2 },
      { name: "checkout abandoned", steps: [abandonSub], status: "expired", access: false, ends: "none", periods: 0 },
    ];

    const runs = await Promise.all(
      Array.from({ length: SUBSCRIPTION_SEEDS }, (_, seed) =>
        LIFECYCLES.map(async (lifecycle, index) => {
          const subscriber = await learner(`orders-subscriber-${seed}-${index}`);
          const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
            token: subscriber.token,
            body: { planId: plan.body.id },
          });
          expect(opened.status).toBe(201);
          const sessionId = new URL(opened.body.checkoutUrl).pathname.split("/").at(-1) as string;
          const started: EventObject[] = [];
          const events: EventObject[] = [];
          for (const step of lifecycle.steps) {
            const made = await step({ sessionId, started });
            if (made !== started) events.push(...made);
          }
          events.push(...started);
          const order = withRedeliveries(events, seededRandom(7_000 * (seed + 1) + index), 2);
          await deliverInOrder(order);
          const stripeSubscription =
            started.length > 0 ? await stripe.object<SubscriptionObject>(subscriptionOf(started)) : undefined;
          return {
            subscriber,
            lifecycle,
            subscriptionId: opened.body.subscriptionId,
            stripeSubscription,
            context: `${lifecycle.name}, seed ${seed + 1}: ${order.map((event) => event.type).join(" → ")}`,
          };
        }),
      ).flat(),
    );

    for (const { subscriber, lifecycle, subscriptionId, stripeSubscription, context } of runs) {
      // A subscriber here has bought nothing else: every item of the page is a subscription.
      const mine = await api<{ items: Subscription[] }>("GET", "/api/payments/me", { token: subscriber.token });
      const view = mine.body.items.find((item) => item.id === subscriptionId);
      expect(view?.status, context).toBe(lifecycle.status);
      const periodEnd = stripeSubscription?.items.data[0]?.current_period_end;
      expect(view?.currentPeriodEnd, context).toBe(periodEnd ? new Date(periodEnd * 1000).toISOString() : null);
      const expectedEnd =
        lifecycle.ends === "period"
          ? stripeSubscription?.cancel_at
          : lifecycle.ends === "now"
            ? stripeSubscription?.ended_at
            : null;
      expect(view?.endsAt ?? null, context).toBe(expectedEnd ? new Date(expectedEnd * 1000).toISOString() : null);
      expect(await paymentEvents("SUBSCRIPTION_CREATED", [subscriptionId], "subscriptionId"), context).toBe(
        lifecycle.periods > 0 ? 1 : 0,
      );
      const { rows } = await db.query<{ ends_at: string }>(
        "select envelope->'data'->>'endsAt' as ends_at from payments.outbox where type = 'SUBSCRIPTION_CANCELED' and envelope->'data'->>'subscriptionId' = $1 order by seq desc limit 1",
        [subscriptionId],
      );
      expect(rows[0]?.ends_at ?? null, context).toBe(view?.endsAt ?? null);
    }
    await Promise.all(
      runs.map(async ({ subscriber, lifecycle, subscriptionId, context }) => {
        if (lifecycle.access) {
          await expect
            .poll(async () => (await lessonsAccess(anyCourse, subscriber)).access, {
              ...ASYNC_EFFECTS,
              message: `access: ${context}`,
            })
            .toBe("full");
        } else if (lifecycle.ends === "now") {
          await expect
            .poll(
              async () => {
                const { rows } = await db.query(
                  "select 1 from courses.subscription_access where subscription_id = $1 and ends_at <= now()",
                  [subscriptionId],
                );
                return rows.length;
              },
              { ...ASYNC_EFFECTS, message: `ended: ${context}` },
            )
            .toBe(1);
          expect((await lessonsAccess(anyCourse, subscriber)).access, context).toBe("preview");
        } else {
          expect((await lessonsAccess(anyCourse, subscriber)).access, context).toBe("preview");
        }
      }),
    );
  });
});
