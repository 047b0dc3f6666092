import { beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, registerAndLogin } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { publishedCourse, type CourseBody } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";
import { admin, instructor } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
// The local Stripe stand-in the payments worker talks to, driven the way the payments tests drive it.
import { sessionIdOf, stripe } from "../../workers/payments/test/support/stripe.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";

/**
 * Purchases and subscriptions on the account page, bought through the API with Stripe played by
 * the local stand-in: the list with receipts, a refund and a cancellation each behind a
 * confirmation step, the refund window as the payments API states it, and another buyer's payment.
 */
const browser = useBrowser();
const origin = new URL(gatewayUrl).origin;

let course: CourseBody;
let secondCourse: CourseBody;
let planId: string;

interface Buyer {
  readonly email: string;
  readonly userId: string;
  readonly token: string;
}

beforeAll(async () => {
  const author = await instructor("account-purchases-author");
  course = await publishedCourse(author, {
    price: { amountMinor: 4900, currency: "EUR" },
    title: "Refundable course",
  });
  secondCourse = await publishedCourse(author, {
    price: { amountMinor: 2500, currency: "EUR" },
    title: "Bought long ago",
  });
  const plan = await api<{ id: string }>("POST", "/api/payments/plans", {
    token: (await admin("account-purchases-admin")).token,
    body: {
      name: `All access ${crypto.randomUUID().slice(0, 8)}`,
      interval: "month",
      price: { amountMinor: 1900, currency: "EUR" },
    },
  });
  expect(plan.status).toBe(201);
  planId = plan.body.id;
});

async function newBuyer(tag: string): Promise<Buyer> {
  const session = await registerAndLogin(tag);
  return { email: session.email, userId: session.userId, token: session.tokens.accessToken };
}

/** Buys a course through the API and pays at the stand-in's checkout; the webhook marks it paid. */
async function boughtCourse(buyer: Buyer, which: CourseBody): Promise<string> {
  const opened = await api<{ paymentId: string; checkoutUrl: string }>("POST", `/api/payments/courses/${which.id}`, {
    token: buyer.token,
  });
  expect(opened.status).toBe(201);
  const sessionId = sessionIdOf(opened.body.checkoutUrl);
  await stripe.completeCheckout(sessionId);
  await expect.poll(() => paymentStatus(opened.body.paymentId), ASYNC_EFFECTS).toBe("paid");
  return opened.body.paymentId;
}

async function paymentStatus(id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>("select status from payments.payments where id = $1", [id]);
  return rows[0]?.status;
}

async function signedInAt(buyer: Buyer, path: string) {
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, buyer.email, path);
  return watched;
}

const submit = submitForm;

describe("purchases", () => {
  it("lists a paid course with its receipt and refunds it only after the confirmation step", async () => {
    const buyer = await newBuyer("account-refund");
    const paymentId = await boughtCourse(buyer, course);
    const { page } = await signedInAt(buyer, "/account/purchases");

    const item = page.locator(`[data-purchase="${paymentId}"]`);
    expect(await item.getAttribute("data-purchase-status")).toBe("paid");
    expect(await item.getByRole("heading").textContent()).toBe("Refundable course");
    expect(await item.textContent()).toContain("€49.00");
    expect(await item.getByRole("link", { name: "Go to the course" }).getAttribute("href")).toBe(
      `/courses/${course.slug}`,
    );
    await item.locator("summary").click();
    expect(await item.locator("dd").first().textContent()).toBe(paymentId);
    await checkAccessibility(page);
    await screenshot(page, "account-purchases");

    // The first step only asks; going back changes nothing.
    await item.getByRole("link", { name: "Ask for a refund" }).click();
    await page.waitForURL(`${gatewayUrl}/account/purchases?refund=${paymentId}#confirm`);
    const confirm = page.locator('[data-confirm="refund"]');
    expect(await confirm.textContent()).toContain("your access to the course ends");
    await checkAccessibility(page);
    await screenshot(page, "account-refund-confirm");
    await confirm.getByRole("link", { name: "No, go back" }).click();
    await page.waitForURL(`${gatewayUrl}/account/purchases`);
    expect(await page.locator("[data-confirm]").count()).toBe(0);
    expect(await paymentStatus(paymentId)).toBe("paid");

    await item.getByRole("link", { name: "Ask for a refund" }).click();
    expect(await submit(page, "Yes, refund it")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account/purchases?done=refunded`);
    expect(await page.getByRole("status").filter({ hasText: "The purchase is refunded" }).count()).toBe(1);
    expect(await page.locator(`[data-purchase="${paymentId}"]`).getAttribute("data-purchase-status")).toBe("refunded");
    expect(await paymentStatus(paymentId)).toBe("refunded");
    expect(await page.locator(`[data-purchase="${paymentId}"] [data-action="refund"]`).count()).toBe(0);
  });

  it("past the refund window: the API's rule is shown and nothing is refunded", async () => {
    const buyer = await newBuyer("account-late-refund");
    const paymentId = await boughtCourse(buyer, secondCourse);
    await db.query("update payments.payments set paid_at = now() - interval '40 days' where id = $1", [paymentId]);
    const { page } = await signedInAt(buyer, `/account/purchases?refund=${paymentId}`);

    expect(await submit(page, "Yes, refund it")).toBe(403);
    const refused = page.locator('[data-state="refund-refused"]');
    expect(await refused.getAttribute("role")).toBe("alert");
    expect(await refused.textContent()).toMatch(/within \d+ days of paying/);
    expect(await paymentStatus(paymentId)).toBe("paid");
  });

  it("another buyer's payment cannot be refunded from this page: a readable 404, and it stays paid", async () => {
    const owner = await newBuyer("account-refund-owner");
    const paymentId = await boughtCourse(owner, course);
    const stranger = await newBuyer("account-refund-stranger");
    const { context } = await signedInAt(stranger, "/account/purchases");

    const forged = await context.request.post(`${gatewayUrl}/account/purchases`, {
      form: { intent: "refund", id: paymentId },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(404);
    expect(await forged.text()).toContain("No such payment.");
    expect(await paymentStatus(paymentId)).toBe("paid");
    // Nor does a link to the confirmation step show it.
    const { page } = await signedInAt(stranger, `/account/purchases?refund=${paymentId}`);
    expect(await page.locator("[data-confirm]").count()).toBe(0);
  });
});

describe("subscriptions", () => {
  it("cancels a subscription at the end of its period, after the confirmation step", async () => {
    const buyer = await newBuyer("account-subscriber");
    const opened = await api<{ subscriptionId: string; checkoutUrl: string }>("POST", "/api/payments/subscriptions", {
      token: buyer.token,
      body: { planId },
    });
    expect(opened.status).toBe(201);
    const sessionId = sessionIdOf(opened.body.checkoutUrl);
    await stripe.completeCheckout(sessionId);
    const { subscriptionId } = opened.body;
    const status = async () =>
      (
        await api<{ items: Array<{ id: string; status: string }> }>("GET", "/api/payments/me", { token: buyer.token })
      ).body.items.find((entry) => entry.id === subscriptionId)?.status;
    await expect.poll(status, ASYNC_EFFECTS).toBe("active");

    const { page } = await signedInAt(buyer, "/account/purchases");
    const item = page.locator(`[data-subscription="${subscriptionId}"]`);
    expect(await item.getAttribute("data-subscription-status")).toBe("active");
    expect(await item.textContent()).toContain("€19.00 a month");
    await item.getByRole("link", { name: "Cancel subscription" }).click();
    const confirm = page.locator('[data-confirm="cancel"]');
    expect(await confirm.textContent()).toContain("will not renew");
    await checkAccessibility(page);
    expect(await submit(page, "Yes, cancel it")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account/purchases?done=canceled`);
    expect(await page.locator(`[data-subscription="${subscriptionId}"]`).getAttribute("data-subscription-status")).toBe(
      "canceling",
    );
    expect(await status()).toBe("canceling");
    expect(await page.locator(`[data-subscription="${subscriptionId}"] [data-action]`).count()).toBe(0);
  });
});
