import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStripeForm, standInClient, startStripeStandIn, type StripeStandIn } from "../src/index.ts";

/** The stand-in, driven by the official SDK exactly as the payments worker drives it. */

const KEY = "sk_test_stand_in_unit";
const SECRET = "whsec_stand_in_unit";
let standIn: StripeStandIn;
let stripe: Stripe;
const received: Array<{ body: string; signature: string }> = [];
let receiver: ReturnType<typeof createServer>;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ body, signature: String(request.headers["stripe-signature"]) });
      response.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  standIn = await startStripeStandIn({
    secretKey: KEY,
    webhookSecret: SECRET,
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`,
  });
  const base = new URL(standIn.url);
  stripe = new Stripe(KEY, {
    host: base.hostname,
    port: base.port,
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
  });
});

afterAll(async () => {
  await standIn.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const courseCheckout = (reference: string): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 4900, product_data: { name: "A course" } } }],
  client_reference_id: reference,
  metadata: { paymentId: reference },
  payment_intent_data: { metadata: { paymentId: reference } },
  success_url: "https://learn.example.test/done",
  expires_at: Math.floor(Date.now() / 1000) + 3600,
});

describe("Stripe stand-in", () => {
  it("parses the SDK's bracketed form bodies back into objects", () => {
    expect(
      parseStripeForm(
        "a=1&line_items[0][price_data][currency]=eur&line_items[0][quantity]=1&metadata[k]=v&expand[]=x&expand[]=y",
      ),
    ).toEqual({
      a: "1",
      line_items: [{ price_data: { currency: "eur" }, quantity: "1" }],
      metadata: { k: "v" },
      expand: ["x", "y"],
    });
  });

  it("creates a Checkout Session with Stripe's shape and id format", async () => {
    const session = await stripe.checkout.sessions.create(courseCheckout("p-1"));
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 4900,
      currency: "eur",
      client_reference_id: "p-1",
      metadata: { paymentId: "p-1" },
    });
    expect(session.id).toMatch(/^cs_test_a1[A-Za-z0-9]{56}$/);
    expect(session.url).toContain(session.id);
  });

  it("honours Idempotency-Key: the same key and parameters return the same object; other parameters are refused", async () => {
    const first = await stripe.checkout.sessions.create(courseCheckout("p-2"), { idempotencyKey: "key-p-2" });
    const again = await stripe.checkout.sessions.create(courseCheckout("p-2"), { idempotencyKey: "key-p-2" });
    expect(again.id).toBe(first.id);
    await expect(
      stripe.checkout.sessions.create(courseCheckout("p-3"), { idempotencyKey: "key-p-2" }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("refuses a wrong API key and invalid parameters the way Stripe does", async () => {
    const base = new URL(standIn.url);
    const wrong = new Stripe("sk_test_wrong", {
      host: base.hostname,
      port: base.port,
      protocol: "http",
      httpClient: Stripe.createFetchHttpClient(),
    });
    await expect(wrong.checkout.sessions.create(courseCheckout("p-4"))).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    await expect(
      stripe.checkout.sessions.create({ ...courseCheckout("p-5"), expires_at: Math.floor(Date.now() / 1000) + 60 }),
    ).rejects.toMatchObject({ type: "StripeInvalidRequestError", param: "expires_at" });
    await expect(stripe.checkout.sessions.retrieve("cs_test_nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("pays a checkout, delivers checkout.session.completed signed so the SDK verifies it, and refunds the charge once", async () => {
    const session = await stripe.checkout.sessions.create(courseCheckout("p-6"));
    received.length = 0;
    const paid = await standInClient(standIn.url).completeCheckout(session.id);
    expect(paid.deliveries.map((delivery) => delivery.status)).toEqual([200]);
    const [delivery] = received;
    const event = await Stripe.webhooks.constructEventAsync(
      delivery?.body ?? "",
      delivery?.signature ?? "",
      SECRET,
      300,
    );
    expect(event.type).toBe("checkout.session.completed");
    const completed = event.data.object as Stripe.Checkout.Session;
    expect(completed.payment_status).toBe("paid");
    const intent = await stripe.paymentIntents.retrieve(String(completed.payment_intent));
    expect(intent).toMatchObject({ status: "succeeded", metadata: { paymentId: "p-6" } });

    const refund = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: "refund-p-6" });
    const same = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: "refund-p-6" });
    expect(same.id).toBe(refund.id);
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({
      code: "charge_already_refunded",
    });
    await standIn.flush();
    const refundedEvent = received
      .map((entry) => JSON.parse(entry.body) as Stripe.Event)
      .find((entry) => entry.type === "charge.refunded");
    expect(refundedEvent?.data.object).toMatchObject({
      refunded: true,
      amount_refunded: 4900,
      metadata: { paymentId: "p-6" },
    });
  });

  it("starts a subscription from a subscription checkout and cancels it at period end", async () => {
    const session = await stripe.checkout.sessions.create({
      ...courseCheckout("s-1"),
      mode: "subscription",
      payment_intent_data: undefined,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: 900,
            recurring: { interval: "month" },
            product_data: { name: "Plan" },
          },
        },
      ],
      subscription_data: { metadata: { subscriptionId: "s-1" } },
    });
    const started = await standInClient(standIn.url).completeCheckout(session.id, { deliver: false });
    expect(started.events.map((event) => event.type)).toEqual([
      "customer.subscription.created",
      "invoice.paid",
      "checkout.session.completed",
    ]);
    const subscriptionId = String((started.events[2]?.data.object as Stripe.Checkout.Session).subscription);
    const cancelled = await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const periodEnd = cancelled.items.data[0]?.current_period_end;
    expect(cancelled).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      cancel_at: periodEnd,
      metadata: { subscriptionId: "s-1" },
    });
  });

  const subscriptionCheckout = (reference: string) =>
    stripe.checkout.sessions.create({
      ...courseCheckout(reference),
      mode: "subscription",
      payment_intent_data: undefined,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: 900,
            recurring: { interval: "month" },
            product_data: { name: "Plan" },
          },
        },
      ],
      subscription_data: { metadata: { subscriptionId: reference, userId: "u-1" } },
    });

  it("a subscription checkout's customer holds the email given at checkout; a payment checkout makes no customer", async () => {
    const session = await subscriptionCheckout("s-2");
    await standInClient(standIn.url).completeCheckout(session.id, {
      deliver: false,
      email: "ada@example.test",
      name: "Ada",
    });
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    const customer = await stripe.customers.retrieve(String(completed.customer));
    expect(customer).toMatchObject({ object: "customer", email: "ada@example.test", name: "Ada" });
    expect(completed.customer_details).toMatchObject({ email: "ada@example.test", name: "Ada" });

    const bought = await stripe.checkout.sessions.create(courseCheckout("p-7"));
    await standInClient(standIn.url).completeCheckout(bought.id, { deliver: false, email: "ada@example.test" });
    const guest = await stripe.checkout.sessions.retrieve(bought.id);
    expect(guest.customer).toBeNull();
    expect(guest.customer_details).toMatchObject({ email: "ada@example.test" });
  });

  it("deletes a customer: its subscriptions end at once, customer.subscription.deleted and customer.deleted are delivered, and the customer reads back deleted without its email; a second delete is resource_missing", async () => {
    const session = await subscriptionCheckout("s-3");
    await standInClient(standIn.url).completeCheckout(session.id, { deliver: false, email: "grace@example.test" });
    const { customer: customerId, subscription: subscriptionId } = await stripe.checkout.sessions.retrieve(session.id);
    received.length = 0;

    const deleted = await stripe.customers.del(String(customerId));
    expect(deleted).toEqual({ id: customerId, object: "customer", deleted: true });
    await standIn.flush();
    const delivered = received.map((entry) => JSON.parse(entry.body) as Stripe.Event);
    expect(delivered.map((event) => event.type)).toEqual(["customer.subscription.deleted", "customer.deleted"]);
    expect(delivered[0]?.data.object).toMatchObject({ id: subscriptionId, status: "canceled" });

    expect(await stripe.subscriptions.retrieve(String(subscriptionId))).toMatchObject({ status: "canceled" });
    const readBack = await stripe.customers.retrieve(String(customerId));
    expect(readBack).toEqual({ id: customerId, object: "customer", deleted: true });
    expect(JSON.stringify(readBack)).not.toContain("grace@example.test");
    await expect(stripe.customers.del(String(customerId))).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(stripe.customers.del("cus_nobody")).rejects.toMatchObject({ code: "resource_missing" });
  });

  it("expires an open checkout, which can then not be paid; expiring it again is refused", async () => {
    const session = await stripe.checkout.sessions.create(courseCheckout("p-8"));
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    await expect(standInClient(standIn.url).completeCheckout(session.id, { deliver: false })).rejects.toThrow(
      /expired/,
    );
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      message: expect.stringContaining('has a status of "expired"'),
    });
  });

  it("drops a metadata key given an empty value, on intents, charges and canceled subscriptions", async () => {
    const bought = await stripe.checkout.sessions.create({
      ...courseCheckout("p-9"),
      payment_intent_data: { metadata: { paymentId: "p-9", userId: "u-9" } },
    });
    await standInClient(standIn.url).completeCheckout(bought.id, { deliver: false });
    const intent = await stripe.paymentIntents.retrieve(
      String((await stripe.checkout.sessions.retrieve(bought.id)).payment_intent),
    );
    expect((await stripe.paymentIntents.update(intent.id, { metadata: { userId: "" } })).metadata).toEqual({
      paymentId: "p-9",
    });
    expect((await stripe.charges.update(String(intent.latest_charge), { metadata: { userId: "" } })).metadata).toEqual({
      paymentId: "p-9",
    });

    const session = await subscriptionCheckout("s-4");
    await standInClient(standIn.url).completeCheckout(session.id, { deliver: false });
    const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    await stripe.subscriptions.cancel(subscriptionId);
    expect((await stripe.subscriptions.update(subscriptionId, { metadata: { userId: "" } })).metadata).toEqual({
      subscriptionId: "s-4",
    });
    await expect(stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
    });
  });
});
