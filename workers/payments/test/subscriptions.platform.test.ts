import { beforeAll, describe, expect, it } from "vitest";
import type { SubscriptionObject } from "@platform/stripe-stand-in";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { buy, lessonsAccess } from "./support/purchases.ts";
import { outcomesOf, sessionIdOf, stripe } from "./support/stripe.ts";
import { paymentEvents } from "./support/ledger.ts";
import type { MyPayments, Plan, Subscription, SubscriptionCheckout } from "./support/views.ts";

/** Plans (admins), createSubscription, cancelSubscription: all-access while active, until it ends. */

let manager: Person;
let course: CourseBody;
let plan: Plan;

const createPlan = (token: string, body: Record<string, unknown>) =>
  api<Plan>("POST", "/api/payments/plans", { token, body });

beforeAll(async () => {
  manager = await admin("plans-admin");
  course = await publishedCourse(await instructor("subs-author"), { price: { amountMinor: 8900, currency: "EUR" } });
  const created = await createPlan(manager.token, {
    name: `All access, monthly ${crypto.randomUUID().slice(0, 8)}`,
    interval: "month",
    price: { amountMinor: 1900, currency: "EUR" },
  });
  expect(created.status).toBe(201);
  plan = created.body;
});

describe("plans", () => {
  it("admins create and change plans; anyone lists the active ones; retired ones are hidden", async () => {
    expect(
      (
        await createPlan((await learner("not-admin")).token, {
          name: "x",
          interval: "year",
          price: { amountMinor: 9900, currency: "EUR" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api("POST", "/api/payments/plans", {
          body: { name: "x", interval: "year", price: { amountMinor: 9900, currency: "EUR" } },
        })
      ).status,
    ).toBe(401);
    const yearly = await createPlan(manager.token, {
      name: `Yearly ${crypto.randomUUID().slice(0, 8)}`,
      interval: "year",
      price: { amountMinor: 19_000, currency: "EUR" },
    });
    expect(yearly.body).toMatchObject({
      interval: "year",
      price: { amountMinor: 19_000, currency: "EUR" },
      active: true,
    });

    const listed = await api<{ items: Plan[] }>("GET", "/api/payments/plans");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toEqual(expect.arrayContaining([plan.id, yearly.body.id]));

    const changed = await api<Plan>("PATCH", `/api/payments/plans/${yearly.body.id}`, {
      token: manager.token,
      body: { price: { amountMinor: 17_000, currency: "EUR" }, active: false },
    });
    expect(changed.body).toMatchObject({ price: { amountMinor: 17_000 }, active: false });
    const after = await api<{ items: Plan[] }>("GET", "/api/payments/plans");
    expect(after.body.items.map((item) => item.id)).not.toContain(yearly.body.id);
    const everything = await api<{ items: Plan[] }>("GET", "/api/payments/plans?includeInactive=true", {
      token: manager.token,
    });
    expect(everything.body.items.map((item) => item.id)).toContain(yearly.body.id);
    expect((await api("GET", "/api/payments/plans?includeInactive=true")).status).toBe(403);

    // A retired plan cannot be subscribed to; a plan's interval cannot change; invalid prices are refused.
    const subscriber = await learner("retired-plan");
    expect(
      (await api("POST", "/api/payments/subscriptions", { token: subscriber.token, body: { planId: yearly.body.id } }))
        .status,
    ).toBe(404);
    expect(
      (await api("PATCH", `/api/payments/plans/${plan.id}`, { token: manager.token, body: { interval: "year" } }))
        .status,
    ).toBe(400);
    expect(
      (
        await createPlan(manager.token, {
          name: "Cheap",
          interval: "month",
          price: { amountMinor: 10, currency: "EUR" },
        })
      ).status,
    ).toBe(400);
  });
});

describe("subscriptions", () => {
  it("happy path: subscribe, pay, every course opens; cancel at period end keeps access until then; the end closes it", async () => {
    const subscriber = await learner("subscriber");
    const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token: subscriber.token,
      body: { planId: plan.id },
    });
    expect(opened.status).toBe(201);
    const { subscriptionId } = opened.body;
    const created = (await stripe.requests()).find(
      (request) => request.idempotencyKey === `checkout-subscription-${subscriptionId}`,
    );
    expect(created?.params).toMatchObject({
      mode: "subscription",
      subscription_data: { metadata: { subscriptionId, userId: subscriber.userId, planId: plan.id } },
      line_items: [{ price_data: { currency: "eur", unit_amount: "1900", recurring: { interval: "month" } } }],
    });

    const paid = await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));
    expect(outcomesOf(paid.deliveries)).toContain("applied");
    const stripeSubscriptionId = String((paid.events.at(-1)?.data.object as { subscription: string }).subscription);
    await expect
      .poll(async () => (await lessonsAccess(course, subscriber)).access, {
        ...ASYNC_EFFECTS,
        message: "all-access from the subscription",
      })
      .toBe("full");
    expect(await paymentEvents("SUBSCRIPTION_CREATED", [subscriptionId], "subscriptionId")).toBe(1);

    // A subscriber already has every course, and one subscription is enough.
    expect((await buy(subscriber, course)).status).toBe(409);
    expect(
      (await api("POST", "/api/payments/subscriptions", { token: subscriber.token, body: { planId: plan.id } })).status,
    ).toBe(409);

    // Nobody else may cancel it.
    expect(
      (
        await api("DELETE", `/api/payments/subscriptions/${subscriptionId}`, {
          token: (await learner("stranger")).token,
        })
      ).status,
    ).toBe(404);

    const cancelled = await api<Subscription>("DELETE", `/api/payments/subscriptions/${subscriptionId}`, {
      token: subscriber.token,
    });
    expect(cancelled.status).toBe(200);
    const remote = await stripe.object<SubscriptionObject>(stripeSubscriptionId);
    const periodEnd = new Date((remote.items.data[0]?.current_period_end ?? 0) * 1000).toISOString();
    expect(remote.cancel_at_period_end).toBe(true);
    expect(cancelled.body).toMatchObject({ status: "canceling", endsAt: periodEnd, currentPeriodEnd: periodEnd });
    const { rows } = await db.query<{ ends_at: string }>(
      "select envelope->'data'->>'endsAt' as ends_at from payments.outbox where type = 'SUBSCRIPTION_CANCELED' and envelope->'data'->>'subscriptionId' = $1",
      [subscriptionId],
    );
    expect(rows.map((row) => row.ends_at)).toEqual([periodEnd]);
    expect(
      (await stripe.requests()).find((request) => request.idempotencyKey === `cancel-${subscriptionId}`)?.params,
    ).toMatchObject({
      cancel_at_period_end: "true",
    });
    // Cancelling again answers the same; Stripe's own customer.subscription.updated changes nothing.
    expect(
      (await api("DELETE", `/api/payments/subscriptions/${subscriptionId}`, { token: subscriber.token })).body,
    ).toMatchObject({ status: "canceling" });
    await stripe.flush();
    await expect
      .poll(
        async () => {
          const { rows: access } = await db.query(
            "select 1 from courses.subscription_access where subscription_id = $1 and ends_at = $2",
            [subscriptionId, periodEnd],
          );
          return access.length;
        },
        { ...ASYNC_EFFECTS, message: "the courses service to learn the end" },
      )
      .toBe(1);
    expect((await lessonsAccess(course, subscriber)).access).toBe("full");

    // The subscription ends early (Stripe's dashboard): access ends now.
    const ended = await stripe.cancelSubscriptionNow(stripeSubscriptionId);
    expect(outcomesOf(ended.deliveries)).toEqual(["applied"]);
    await expect
      .poll(async () => (await lessonsAccess(course, subscriber)).access, {
        ...ASYNC_EFFECTS,
        message: "access to end with the subscription",
      })
      .toBe("preview");
    const mine = await api<MyPayments>("GET", "/api/payments/me", { token: subscriber.token });
    expect(mine.body.items.find((item) => item.id === subscriptionId)).toMatchObject({
      kind: "subscription",
      status: "canceled",
    });
    expect(
      (await api("DELETE", `/api/payments/subscriptions/${subscriptionId}`, { token: subscriber.token })).status,
    ).toBe(409);
  });

  it("an admin may cancel anyone's subscription; an unpaid one cannot be cancelled (409)", async () => {
    const subscriber = await learner("admin-cancelled");
    const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token: subscriber.token,
      body: { planId: plan.id },
    });
    expect(
      (await api("DELETE", `/api/payments/subscriptions/${opened.body.subscriptionId}`, { token: subscriber.token }))
        .status,
    ).toBe(409);
    await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));
    const cancelled = await api("DELETE", `/api/payments/subscriptions/${opened.body.subscriptionId}`, {
      token: manager.token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "canceling" });
  });

  it("GET /api/payments/me pages through purchases and subscriptions together, newest first", async () => {
    const person = await learner("pager");
    const author = await instructor("pager-author");
    const courses = await Promise.all(
      [1, 2, 3].map((n) => publishedCourse(author, { price: { amountMinor: 1000 * n, currency: "EUR" } })),
    );
    const ids: string[] = [];
    for (const each of courses) ids.push((await buy(person, each)).body.paymentId);
    ids.push(
      (
        await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
          token: person.token,
          body: { planId: plan.id },
        })
      ).body.subscriptionId,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api(
        "GET",
        `/api/payments/me?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { token: person.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await api("GET", "/api/payments/me")).status).toBe(401);
  });
});
