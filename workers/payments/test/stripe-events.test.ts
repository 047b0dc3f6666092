import type { Stripe } from "stripe";
import { describe, expect, it } from "vitest";
import { StandInState, parseStripeForm } from "@platform/stripe-stand-in";
import { HANDLED_EVENT_TYPES, interpretStripeEvent } from "../src/stripe-events.ts";

/**
 * How Stripe's events are read, on events made by the stand-in from the same parameters the
 * worker sends (see provider/stripe.ts), so the shapes read are the shapes Stripe sends.
 */

const PAYMENT_ID = "0191f3a4-0000-7000-8000-000000000001";
const SUBSCRIPTION_ID = "0191f3a4-0000-7000-8000-000000000002";
const inAnHour = () => String(Math.floor(Date.now() / 1000) + 3600);

function stand() {
  return new StandInState(() => "http://127.0.0.1:1");
}

function courseSession(state: StandInState) {
  return state.createSession(
    parseStripeForm(
      new URLSearchParams({
        mode: "payment",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "4900",
        "line_items[0][price_data][product_data][name]": "Course",
        client_reference_id: PAYMENT_ID,
        "metadata[paymentId]": PAYMENT_ID,
        "payment_intent_data[metadata][paymentId]": PAYMENT_ID,
        success_url: "https://x.test/ok",
        expires_at: inAnHour(),
      }).toString(),
    ),
  );
}

function subscriptionSession(state: StandInState) {
  return state.createSession(
    parseStripeForm(
      new URLSearchParams({
        mode: "subscription",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "900",
        "line_items[0][price_data][recurring][interval]": "month",
        "line_items[0][price_data][product_data][name]": "Plan",
        client_reference_id: SUBSCRIPTION_ID,
        "metadata[subscriptionId]": SUBSCRIPTION_ID,
        "subscription_data[metadata][subscriptionId]": SUBSCRIPTION_ID,
        success_url: "https://x.test/ok",
        expires_at: inAnHour(),
      }).toString(),
    ),
  );
}

const asStripe = (event: unknown) => event as Stripe.Event;

describe("reading Stripe events", () => {
  it("a paid course checkout names its purchase and proves it paid", () => {
    const state = stand();
    const [completed] = state.completeSession(courseSession(state).id, "paid");
    expect(interpretStripeEvent(asStripe(completed))).toMatchObject({
      subject: "purchase",
      paymentId: PAYMENT_ID,
      fact: { kind: "completed", settled: true },
      details: { amountMinor: 4900, paymentIntentId: expect.stringMatching(/^pi_/) },
    });
  });

  it("a bank debit completes unsettled, then succeeds or fails", () => {
    const state = stand();
    const session = courseSession(state);
    const [completed] = state.completeSession(session.id, "processing");
    expect(interpretStripeEvent(asStripe(completed))).toMatchObject({ fact: { kind: "completed", settled: false } });
    const [failed] = state.settleAsync(session.id, "failed");
    expect(interpretStripeEvent(asStripe(failed))).toMatchObject({
      paymentId: PAYMENT_ID,
      fact: { kind: "async_payment_failed" },
    });
  });

  it("a full refund and a dispute are about the same purchase (the refund by metadata, the dispute by its intent)", () => {
    const state = stand();
    const [completed] = state.completeSession(courseSession(state).id, "paid");
    const intentId = String((completed?.data.object as { payment_intent: string }).payment_intent);
    const chargeId = String(state.paymentIntent(intentId).latest_charge);
    const [disputed] = state.dispute(chargeId);
    expect(interpretStripeEvent(asStripe(disputed))).toMatchObject({
      subject: "purchase",
      paymentId: null,
      paymentIntentId: intentId,
      fact: { kind: "disputed" },
    });
    const partial = state.createRefund(
      { charge: chargeId, amount: "900" },
      { requestId: "req_1", idempotencyKey: null },
    ).events[0];
    expect(interpretStripeEvent(asStripe(partial))).toMatchObject({
      paymentId: PAYMENT_ID,
      fact: { kind: "completed", settled: true },
    });
    const full = state.createRefund({ charge: chargeId }, { requestId: "req_2", idempotencyKey: null }).events[0];
    expect(interpretStripeEvent(asStripe(full))).toMatchObject({
      paymentId: PAYMENT_ID,
      fact: { kind: "refunded" },
      details: { chargeId, amountRefundedMinor: 4900 },
    });
  });

  it("a subscription's checkout, snapshots and invoices all name it, with the period end", () => {
    const state = stand();
    const events = state.completeSession(subscriptionSession(state).id, "paid");
    const meanings = events.map((event) => interpretStripeEvent(asStripe(event)));
    for (const meaning of meanings)
      expect(meaning).toMatchObject({ subject: "subscription", subscriptionId: SUBSCRIPTION_ID });
    const periodEnd = (events[0]?.data.object as { items: { data: Array<{ current_period_end: number }> } }).items
      .data[0]?.current_period_end;
    expect(meanings.map((meaning) => (meaning.subject === "subscription" ? meaning.fact : null))).toEqual([
      expect.objectContaining({ kind: "snapshot", status: "active", currentPeriodEnd: (periodEnd ?? 0) * 1000 }),
      expect.objectContaining({ kind: "invoice", paid: true, periodEnd: (periodEnd ?? 0) * 1000 }),
      { kind: "checkout_completed", settled: true },
    ]);
  });

  it("metadata that is not one of our ids is not trusted, and other event types are ignored", () => {
    const state = stand();
    const session = courseSession(state);
    session.metadata = { paymentId: "not-ours" };
    session.client_reference_id = "also-not-ours";
    const [completed] = state.completeSession(session.id, "paid");
    expect(interpretStripeEvent(asStripe(completed))).toMatchObject({ subject: "purchase", paymentId: null });
    expect(interpretStripeEvent(asStripe({ ...completed, type: "customer.created" }))).toMatchObject({
      subject: "none",
    });
    expect(HANDLED_EVENT_TYPES).toContain("charge.dispute.created");
  });
});
