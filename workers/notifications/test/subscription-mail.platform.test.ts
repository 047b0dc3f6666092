import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo, waitForMail } from "../../../test/support/mailbox.ts";
import { admin } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { sessionIdOf, settledDeliveries, settledLearner, stripe } from "./support/journey.ts";

/**
 * SUBSCRIPTION_CREATED → the `subscription-started` mail, on the running platform: an admin's monthly plan, a
 * learner with a German profile subscribing through payments and the Stripe stand-in's checkout, and the mail at the
 * test's SMTP server, in German, with the renewal date the event carries written the German way in the learner's
 * zone.
 */
let planId: string;

beforeAll(async () => {
  const manager = await admin("subscription-mail-admin");
  const plan = await api<{ id: string }>("POST", "/api/payments/plans", {
    token: manager.token,
    body: {
      name: `Monthly, for the mail ${crypto.randomUUID().slice(0, 8)}`,
      interval: "month",
      price: { amountMinor: 1900, currency: "EUR" },
    },
  });
  expect(plan.status).toBe(201);
  planId = plan.body.id;
});

/** The currentPeriodEnd of the SUBSCRIPTION_CREATED payments wrote for this subscription. */
async function periodEndOf(subscriptionId: string): Promise<string> {
  const { rows } = await db.query<{ period_end: string }>(
    "select envelope->'data'->>'currentPeriodEnd' as period_end from payments.outbox where type = 'SUBSCRIPTION_CREATED' and envelope->'data'->>'subscriptionId' = $1",
    [subscriptionId],
  );
  expect(rows).toHaveLength(1);
  return rows[0]?.period_end ?? "";
}

describe("a subscription starts", () => {
  it("the subscriber gets the subscription-started mail once, in their language, with the renewal date", async () => {
    const subscriber = await settledLearner("subscription-mail");
    // The profile is made from USER_CREATED by the users worker: wait for it before changing its locale and zone.
    await expect
      .poll(async () => (await api("GET", "/api/users/me", { token: subscriber.token })).status, ASYNC_EFFECTS)
      .toBe(200);
    const profile = await api("PATCH", "/api/users/me", {
      token: subscriber.token,
      body: { locale: "de-DE", timeZone: "Europe/Berlin" },
    });
    expect(profile.status).toBe(200);

    const opened = await api<{ subscriptionId: string; checkoutUrl: string }>("POST", "/api/payments/subscriptions", {
      token: subscriber.token,
      body: { planId },
    });
    expect(opened.status).toBe(201);
    await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));

    const mail = await waitForMail(subscriber.email, { subject: "Dein Abo hat begonnen" });
    expect(mail.envelope.to).toEqual([subscriber.email]);
    expect(mail.subject).toBe("Dein Abo hat begonnen");
    expect(mail.html).toContain('<html lang="de">');
    const renews = new Intl.DateTimeFormat("de-DE", { dateStyle: "long", timeZone: "Europe/Berlin" }).format(
      new Date(await periodEndOf(opened.body.subscriptionId)),
    );
    expect(mail.text).toContain(`Dein Monatsabo verlängert sich am ${renews}.`);
    // Not security mail: its category, subscriptions, can be left with one click.
    expect(mail.headers["list-unsubscribe"]).toMatch(
      new RegExp(`/api/notifications/unsubscribe\\?token=v1\\.${subscriber.userId}\\.subscriptions\\.`),
    );
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    expect(await settledDeliveries(subscriber.userId, "subscription-started", 2)).toEqual([
      { channel: "email", status: "sent", attempts: 1, last_error: null },
      { channel: "in_app", status: "sent", attempts: 1, last_error: null },
    ]);
    const { rows } = await db.query<{ locale: string }>(
      "select locale from notifications.deliveries where user_id = $1 and template = 'subscription-started'",
      [subscriber.userId],
    );
    expect(rows.map((row) => row.locale)).toEqual(["de", "de"]);
    expect(await mailTo(subscriber.email, { subject: "Abo" })).toHaveLength(1);
  });
});
