import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { payloadOf, signatureFor, type EventObject } from "@platform/stripe-stand-in";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { checkout } from "./support/purchases.ts";
import { paymentStatus, stripeEventRows } from "./support/ledger.ts";
import { postWebhook, stripe, webhookSecret } from "./support/stripe.ts";

/**
 * Webhooks that cannot be fooled: every forged, altered, stale or unsigned delivery of a real
 * checkout.session.completed (one that would mark a real pending purchase paid) is refused with
 * 400, and nothing is written: no event row, no state change, no outbox event.
 */

let author: Person;
let course: CourseBody;
let paymentId: string;
let event: EventObject;
let payload: string;

async function nothingWritten() {
  expect(await stripeEventRows([event.id])).toBe(0);
  expect(await paymentStatus(paymentId)).toBe("pending");
  const { rows } = await db.query("select 1 from payments.outbox where envelope->'data'->>'paymentId' = $1", [
    paymentId,
  ]);
  expect(rows).toHaveLength(0);
}

beforeAll(async () => {
  author = await instructor("webhook-author");
  course = await publishedCourse(author, { price: { amountMinor: 1900, currency: "EUR" } });
  const opened = await checkout(await learner("webhook-buyer"), course);
  paymentId = opened.paymentId;
  // The buyer pays; Stripe's event is kept back so each test can deliver it its own way.
  const paid = await stripe.completeCheckout(opened.sessionId, { deliver: false });
  event = paid.events[0] as EventObject;
  payload = payloadOf(event);
});

describe("Stripe webhook signatures", () => {
  it("refuses a signature made with another secret", async () => {
    const answer = await postWebhook(payload, { "stripe-signature": signatureFor(payload, "whsec_not_the_secret") });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, type: expect.stringContaining("bad-request") });
    await nothingWritten();
  });

  it("refuses a body with one byte changed", async () => {
    const signature = signatureFor(payload, webhookSecret);
    const at = payload.indexOf(`"paid"`) + 2;
    const changed = `${payload.slice(0, at)}${payload[at] === "a" ? "b" : "a"}${payload.slice(at + 1)}`;
    expect(changed.length).toBe(payload.length);
    expect((await postWebhook(changed, { "stripe-signature": signature })).status).toBe(400);
    await nothingWritten();
  });

  it("refuses a correctly signed delivery older than 300 seconds (a replay)", async () => {
    const stale = signatureFor(payload, webhookSecret, Math.floor(Date.now() / 1000) - 301);
    const answer = await postWebhook(payload, { "stripe-signature": stale });
    expect(answer.status).toBe(400);
    expect(String(answer.body.detail)).toMatch(/tolerance/i);
    await nothingWritten();
  });

  it("refuses a delivery without the Stripe-Signature header", async () => {
    expect((await postWebhook(payload, {})).status).toBe(400);
    await nothingWritten();
  });

  it("refuses the same event re-serialised (the signature covers the exact bytes, not the JSON)", async () => {
    const reserialised = JSON.stringify(JSON.parse(payload));
    expect(reserialised).not.toBe(payload);
    expect((await postWebhook(reserialised, { "stripe-signature": signatureFor(payload, webhookSecret) })).status).toBe(
      400,
    );
    await nothingWritten();
  });

  it("refuses malformed headers and the sandbox's well-known secret while Stripe is configured", async () => {
    for (const header of ["garbage", "t=abc,v1=def", `t=${Math.floor(Date.now() / 1000)}`, "v1=00"]) {
      expect((await postWebhook(payload, { "stripe-signature": header })).status, header).toBe(400);
    }
    const sandboxSecret = "whsec_local_sandbox_only_never_use_this_for_real_payments";
    expect((await postWebhook(payload, { "stripe-signature": signatureFor(payload, sandboxSecret) })).status).toBe(400);
    await nothingWritten();
  });

  it("the sandbox checkout does not exist while Stripe is configured", async () => {
    const page = await fetch(`${gatewayUrl}/api/payments/sandbox/checkout/cs_test_abc`);
    expect(page.status).toBe(404);
  });

  it("accepts the genuine delivery once, and a replay of it within the tolerance changes nothing", async () => {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const first = await postWebhook(payload, { "stripe-signature": signature });
    expect(first).toMatchObject({ status: 200, body: { received: true, outcome: "applied" } });
    const replay = await postWebhook(payload, { "stripe-signature": signature });
    expect(replay).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await paymentStatus(paymentId)).toBe("paid");
    expect(await stripeEventRows([event.id])).toBe(1);
    const { rows } = await db.query(
      "select 1 from payments.outbox where type = 'COURSE_PURCHASED' and envelope->'data'->>'paymentId' = $1",
      [paymentId],
    );
    expect(rows).toHaveLength(1);
    // Unrelated: the endpoint is documented in the merged OpenAPI document.
    const document = await api<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json");
    expect(Object.keys(document.body.paths)).toContain("/api/payments/webhooks/stripe");
  });
});
