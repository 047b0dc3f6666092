import { describe, expect, it } from "vitest";
import {
  purchaseDifferences,
  purchaseFactGrants,
  subscriptionDifferences,
  subscriptionFactGrants,
  withoutBuyer,
} from "../src/event-checks.ts";

/** What a Stripe event must agree with before it may grant anything (the rule; the platform test drives it). */

const BUYER = "0191f3a4-0000-7000-8000-0000000000aa";
const payment = {
  amountMinor: 1900,
  currency: "EUR",
  checkoutSessionId: "cs_test_ours",
  userId: BUYER,
  paymentIntentId: null,
};
const subscription = {
  amountMinor: 900,
  currency: "EUR",
  checkoutSessionId: "cs_test_sub",
  userId: BUYER,
  stripeCustomerId: "cus_first",
  stripeSubscriptionId: "sub_ours",
};

describe("purchase events", () => {
  it("agree when every point they make matches (Stripe's lower-case currency included)", () => {
    expect(
      purchaseDifferences(payment, {
        checkoutSessionId: "cs_test_ours",
        amountMinor: 1900,
        currency: "EUR",
        buyerId: BUYER,
        paymentIntentId: "pi_1",
      }),
    ).toEqual([]);
    expect(purchaseDifferences(payment, {})).toEqual([]);
  });

  it("list every point that differs", () => {
    expect(
      purchaseDifferences(
        { ...payment, paymentIntentId: "pi_known" },
        {
          checkoutSessionId: "cs_test_other",
          amountMinor: 100,
          currency: "USD",
          buyerId: "0191f3a4-0000-7000-8000-0000000000bb",
          paymentIntentId: "pi_other",
        },
      ).map((difference) => difference.field),
    ).toEqual(["amount", "currency", "checkoutSession", "buyer", "paymentIntent"]);
  });

  it("a completion for a payment whose session we never recorded is not its payment", () => {
    expect(purchaseDifferences({ ...payment, checkoutSessionId: null }, { checkoutSessionId: "cs_test_x" })).toEqual([
      { field: "checkoutSession", expected: null, received: "cs_test_x" },
    ]);
  });

  it("only facts that grant (or block a second purchase) are held to it", () => {
    expect(purchaseFactGrants({ kind: "completed", settled: true })).toBe(true);
    expect(purchaseFactGrants({ kind: "completed", settled: false })).toBe(true);
    expect(purchaseFactGrants({ kind: "async_payment_succeeded" })).toBe(true);
    expect(purchaseFactGrants({ kind: "disputed" })).toBe(true);
    expect(purchaseFactGrants({ kind: "refunded" })).toBe(false);
    expect(purchaseFactGrants({ kind: "expired" })).toBe(false);
    expect(purchaseFactGrants({ kind: "async_payment_failed" })).toBe(false);
  });
});

describe("subscription events", () => {
  it("must name the customer and Stripe subscription learnt first", () => {
    expect(
      subscriptionDifferences(subscription, { stripeCustomerId: "cus_first", stripeSubscriptionId: "sub_ours" }),
    ).toEqual([]);
    expect(
      subscriptionDifferences(subscription, { stripeCustomerId: "cus_other", stripeSubscriptionId: "sub_other" }).map(
        (difference) => difference.field,
      ),
    ).toEqual(["customer", "stripeSubscription"]);
    // Not known yet: the first event tells us.
    expect(
      subscriptionDifferences(
        { ...subscription, stripeCustomerId: null, stripeSubscriptionId: null },
        { stripeCustomerId: "cus_any", stripeSubscriptionId: "sub_any" },
      ),
    ).toEqual([]);
  });

  it("paid invoices, settled completions and running snapshots grant; the rest do not", () => {
    const snapshot = {
      kind: "snapshot",
      cancelAtPeriodEnd: false,
      cancelAt: null,
      currentPeriodEnd: 1,
      endedAt: null,
      at: 1,
    } as const;
    expect(subscriptionFactGrants({ kind: "invoice", invoiceId: "in_1", created: 1, paid: true, periodEnd: 2 })).toBe(
      true,
    );
    expect(subscriptionFactGrants({ kind: "invoice", invoiceId: "in_1", created: 1, paid: false, periodEnd: 2 })).toBe(
      false,
    );
    expect(subscriptionFactGrants({ kind: "checkout_completed", settled: true })).toBe(true);
    expect(subscriptionFactGrants({ kind: "checkout_expired" })).toBe(false);
    expect(subscriptionFactGrants({ ...snapshot, status: "active" })).toBe(true);
    expect(subscriptionFactGrants({ ...snapshot, status: "canceled" })).toBe(false);
  });
});

describe("events about an erased buyer", () => {
  // After erasure the row holds a pseudonym, while Stripe's metadata still names the real account.
  const PSEUDONYM = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

  it("an erased row ignores the buyer named in Stripe's metadata and keeps no buyer id in what it records", () => {
    const late = { checkoutSessionId: "cs_test_ours", amountMinor: 1900, currency: "EUR", buyerId: BUYER };
    // Without the rule: a buyer difference naming the erased account, which would be stored and logged.
    expect(purchaseDifferences({ ...payment, userId: PSEUDONYM }, late)).toEqual([
      { field: "buyer", expected: PSEUDONYM, received: BUYER },
    ]);

    const said = withoutBuyer(late);
    expect(said).toEqual({ checkoutSessionId: "cs_test_ours", amountMinor: 1900, currency: "EUR" });
    expect(JSON.stringify(said)).not.toContain(BUYER);
    expect(late.buyerId, "the event itself is not changed").toBe(BUYER);
    expect(purchaseDifferences({ ...payment, userId: PSEUDONYM }, said)).toEqual([]);

    const renewal = {
      amountMinor: 900,
      currency: "EUR",
      buyerId: BUYER,
      stripeSubscriptionId: "sub_ours",
      stripeCustomerId: "cus_first",
    };
    expect(subscriptionDifferences({ ...subscription, userId: PSEUDONYM }, withoutBuyer(renewal))).toEqual([]);
    // The other checks still hold: an erased row does not make a wrong amount right.
    expect(purchaseDifferences({ ...payment, userId: PSEUDONYM }, withoutBuyer({ ...late, amountMinor: 100 }))).toEqual(
      [{ field: "amount", expected: 1900, received: 100 }],
    );
  });
});
