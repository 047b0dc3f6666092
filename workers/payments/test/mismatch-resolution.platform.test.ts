import { beforeAll, describe, expect, it } from "vitest";
import { payloadOf, signatureFor, type EventObject } from "@platform/stripe-stand-in";
import type { ProblemDetails } from "@platform/http-kit";
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
 * Admins read the Stripe events that disagreed with what we created and resolve each once:
 * "accepted" (checked with Stripe, genuine) applies a refused grant through the usual state
 * machine, so the purchase becomes paid and COURSE_PURCHASED follows; "dismissed" leaves it as it
 * is. Both leave a status-history row naming who decided; a second resolution is 409.
 */

type Json = Record<string, unknown>;

interface MismatchView {
  id: string;
  paymentId: string | null;
  subscriptionId: string | null;
  stripeEventId: string;
  eventType: string;
  differences: Array<{ field: string; expected: unknown; received: unknown }>;
  decision: "refused" | "applied";
  at: string;
  resolution: { resolution: string; by: string; at: string; note: string } | null;
}

interface MismatchPage {
  items: MismatchView[];
  nextCursor: string | null;
}

let course: CourseBody;
let manager: Person;

beforeAll(async () => {
  course = await publishedCourse(await instructor("resolve-author"), { price: { amountMinor: 2500, currency: "EUR" } });
  manager = await admin("resolve-admin");
});

/** Stripe's event with another id and a changed object, signed with the endpoint's secret: refused. */
async function sendRefused(genuine: EventObject, change: (object: Json) => void): Promise<string> {
  const altered = structuredClone(genuine) as EventObject & { data: { object: Json } };
  altered.id = `${genuine.id}_discounted`;
  change(altered.data.object);
  const payload = payloadOf(altered);
  const answer = await postWebhook(payload, { "stripe-signature": signatureFor(payload, webhookSecret) });
  expect(answer).toMatchObject({ status: 200, body: { outcome: "refused" } });
  return altered.id;
}

/** A buyer whose payment went through at Stripe, but whose completion arrived with another amount: refused. */
async function refusedPurchase(tag: string) {
  const buyer = await learner(`resolve-${tag}`);
  const opened = await checkout(buyer, course);
  const genuine = eventOfType(
    (await stripe.completeCheckout(opened.sessionId, { deliver: false })).events,
    "checkout.session.completed",
  );
  // e.g. a coupon applied in the dashboard
  const eventId = await sendRefused(genuine, (object) => void (object.amount_total = 2000));
  return { buyer, paymentId: opened.paymentId, eventId };
}

/** Every page of the admin list, to find one payment's mismatch among the other tests'. */
async function listed(status: "open" | "resolved", paymentId: string): Promise<MismatchView | undefined> {
  let cursor: string | null = null;
  do {
    const query: string = `status=${status}&limit=50${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await api<MismatchPage>("GET", `/api/payments/mismatches?${query}`, { token: manager.token });
    expect(page.status).toBe(200);
    const found = page.body.items.find((item) => item.paymentId === paymentId);
    if (found) return found;
    cursor = page.body.nextCursor;
  } while (cursor);
  return undefined;
}

const resolve = (person: Person, id: string, body: unknown) =>
  api<MismatchView & ProblemDetails>("POST", `/api/payments/mismatches/${id}/resolve`, { token: person.token, body });

async function historyOf(paymentId: string) {
  const { rows } = await db.query<{ from_status: string | null; to_status: string; cause: string }>(
    "select from_status, to_status, cause from payments.payment_status_history where payment_id = $1 order by at, id",
    [paymentId],
  );
  return rows;
}

describe("admins resolve Stripe event mismatches", () => {
  it("lists a refused purchase; accepting it makes the purchase paid and grants the course, once", async () => {
    const { buyer, paymentId, eventId } = await refusedPurchase("accepted");
    const mismatch = await listed("open", paymentId);
    expect(mismatch).toMatchObject({
      paymentId,
      subscriptionId: null,
      stripeEventId: eventId,
      eventType: "checkout.session.completed",
      differences: [{ field: "amount", expected: 2500, received: 2000 }],
      decision: "refused",
      resolution: null,
    });
    const id = (mismatch as MismatchView).id;

    const accepted = await resolve(manager, id, { resolution: "accepted", note: "coupon SPRING20, checked in Stripe" });
    expect(accepted.status).toBe(200);
    expect(accepted.body.resolution).toMatchObject({
      resolution: "accepted",
      by: manager.userId,
      note: "coupon SPRING20, checked in Stripe",
    });
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect(await paymentEvents("COURSE_PURCHASED", [paymentId])).toBe(1);
    expect((await historyOf(paymentId)).at(-1)).toMatchObject({
      from_status: "pending",
      to_status: "paid",
      cause: expect.stringContaining(`accepted by ${manager.userId}`),
    });
    await expect
      .poll(async () => (await accessGrants([paymentId])).enrollments, {
        ...ASYNC_EFFECTS,
        message: "the accepted purchase to grant access",
      })
      .toBe(1);
    expect((await lessonsAccess(course, buyer)).access).toBe("full");

    // Resolved once: a second resolution (either way) is a conflict, and changes nothing.
    const again = await resolve(manager, id, { resolution: "dismissed", note: "second thoughts" });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe("/problems/conflict");
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect(await listed("open", paymentId)).toBeUndefined();
    expect((await listed("resolved", paymentId))?.resolution?.resolution).toBe("accepted");
  });

  it("dismissing leaves the purchase unpaid, and the history says who dismissed it", async () => {
    const { paymentId } = await refusedPurchase("dismissed");
    const mismatch = await listed("open", paymentId);
    const dismissed = await resolve(manager, String(mismatch?.id), {
      resolution: "dismissed",
      note: "not our session",
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.resolution?.resolution).toBe("dismissed");
    expect(await paymentStatus(paymentId)).toBe("pending");
    expect(await paymentEvents("COURSE_PURCHASED", [paymentId])).toBe(0);
    expect((await historyOf(paymentId)).at(-1)).toMatchObject({
      from_status: "pending",
      to_status: "pending",
      cause: expect.stringMatching(new RegExp(`dismissed by ${manager.userId}: not our session$`)),
    });
  });

  it("learners get 403 on both routes and cannot resolve anything", async () => {
    const { paymentId } = await refusedPurchase("learner-tries");
    const mismatch = await listed("open", paymentId);
    const someone = await learner("resolve-nosy");
    const listing = await api<ProblemDetails>("GET", "/api/payments/mismatches", { token: someone.token });
    expect(listing.status).toBe(403);
    expect(listing.body.type).toBe("/problems/forbidden");
    const resolving = await resolve(someone, String(mismatch?.id), { resolution: "accepted", note: "let me in" });
    expect(resolving.status).toBe(403);
    expect(await paymentStatus(paymentId)).toBe("pending");
    expect((await listed("open", paymentId))?.resolution).toBeNull();
  });

  it("an unknown mismatch is 404; a bad resolution or an empty note is 400", async () => {
    const unknown = await resolve(manager, crypto.randomUUID(), { resolution: "accepted", note: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe("/problems/not-found");
    const bad = await resolve(manager, crypto.randomUUID(), { resolution: "approved", note: "  " });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.path).sort()).toEqual(["json.note", "json.resolution"]);
    const badQuery = await api<ProblemDetails>("GET", "/api/payments/mismatches?status=all", { token: manager.token });
    expect(badQuery.status).toBe(400);
  });

  it("accepting a subscription's refused completion and invoice activates it and announces it once", async () => {
    const plan = await api<{ id: string }>("POST", "/api/payments/plans", {
      token: manager.token,
      body: {
        name: `Resolve monthly ${crypto.randomUUID().slice(0, 8)}`,
        interval: "month",
        price: { amountMinor: 1900, currency: "EUR" },
      },
    });
    expect(plan.status).toBe(201);
    const subscriber = await learner("resolve-subscriber");
    const opened = await api<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token: subscriber.token,
      body: { planId: plan.body.id },
    });
    expect(opened.status).toBe(201);
    const { subscriptionId } = opened.body;
    const paid = await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl), { deliver: false });
    const lowAmount = (object: Json) => {
      if (object.lines) for (const line of (object.lines as { data: Json[] }).data) line.amount = 1500;
      else object.amount_total = 1500;
    };
    await sendRefused(eventOfType(paid.events, "invoice.paid"), lowAmount);
    await sendRefused(eventOfType(paid.events, "checkout.session.completed"), lowAmount);
    const lifecycle = async () =>
      (
        await db.query<{ lifecycle: string }>("select lifecycle from payments.subscriptions where id = $1", [
          subscriptionId,
        ])
      ).rows[0]?.lifecycle;
    expect(await lifecycle()).toBe("incomplete");

    const { rows } = await db.query<{ id: string }>(
      "select id from payments.event_mismatches where subscription_id = $1 and resolution is null order by id",
      [subscriptionId],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const accepted = await resolve(manager, row.id, { resolution: "accepted", note: "tax, checked in Stripe" });
      expect(accepted.status).toBe(200);
      expect(accepted.body.subscriptionId).toBe(subscriptionId);
    }
    expect(await lifecycle()).toBe("active");
    expect(await paymentEvents("SUBSCRIPTION_CREATED", [subscriptionId], "subscriptionId")).toBe(1);
    const history = await db.query<{ to_status: string; cause: string }>(
      "select to_status, cause from payments.subscription_status_history where subscription_id = $1 order by at, id",
      [subscriptionId],
    );
    // Every history row the resolutions wrote names the admin; the one reaching "active" is among them.
    const byResolution = history.rows.filter((row) => row.cause.includes(`accepted by ${manager.userId}`));
    expect(byResolution.length).toBeGreaterThanOrEqual(2);
    expect(byResolution.map((row) => row.to_status)).toContain("active");
  });
});
