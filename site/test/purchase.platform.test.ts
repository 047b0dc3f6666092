import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { standInClient } from "@platform/stripe-stand-in";
// The stack's provided values (`inject`) are declared by the platform setup.
import type {} from "../../test/setup/platform.ts";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, uniqueEmail } from "../../test/support/api.ts";
import { AxeBuilder } from "@axe-core/playwright";
import { checkAccessibility, describeViolations, screenshot, useBrowser } from "../../test/support/browser.ts";
import { publishedCourse, type CourseBody } from "../../test/support/courses.ts";
import { admin, instructor } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { signInThroughSite } from "./site-forms.ts";

/**
 * Journey 1 in the browser: sign up with the site's form, buy a paid course from its page, pay at the
 * checkout (Stripe, played here by the local stand-in: its page is a placeholder, so the test pays
 * through its control API, as a buyer at Stripe's page would), come back to the return page, which
 * waits for the grant and links to the course. Also: the return page's honest wait, a cancelled
 * checkout, and someone else's payment.
 */
const browser = useBrowser();
const stripe = standInClient(inject("stripeStandInUrl"));

let course: CourseBody;
let firstLesson: string;

beforeAll(async () => {
  const author = await instructor("purchase-author");
  course = await publishedCourse(author, {
    title: `Paid Edge Course ${crypto.randomUUID().slice(0, 8)}`,
    price: { amountMinor: 4900, currency: "EUR" },
  });
  const outline = await api<{ lessons: Array<{ id: string; position: number }> }>(
    "GET",
    `/api/courses/${course.id}/outline`,
  );
  firstLesson = [...outline.body.lessons].sort((a, b) => a.position - b.position)[0]?.id ?? "";
});

const sessionIdOf = (checkoutUrl: string) => /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(checkoutUrl).pathname)?.[1] ?? "";

/** Where Stripe sends the buyer back after paying: the checkout's success URL with its id filled in. */
async function successUrlOf(sessionId: string): Promise<string> {
  const session = await stripe.object<{ success_url: string }>(sessionId);
  return session.success_url.replace("{CHECKOUT_SESSION_ID}", sessionId);
}

/**
 * axe on the page's own content (`main`) for a signed-in buyer: the header's notifications badge,
 * which another part of the site owns, is checked by that part's tests.
 */
async function checkMainAccessibility(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include("main").analyze();
  const blocking = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
  if (blocking.length > 0) throw new Error(describeViolations(page.url(), blocking));
}

const signIn = signInThroughSite;

describe("journey 1: sign up, buy a course, and find it", () => {
  it("signs up from the course page, buys through the checkout, and the return page links to the course", async () => {
    const { page, problems } = await browser.newPage();
    const coursePath = `/courses/${course.slug}`;
    await page.goto(`${gatewayUrl}${coursePath}`);
    await checkAccessibility(page);

    // Signed out, Buy leads to sign-in, and from there to sign-up, keeping the way back.
    await page.getByRole("link", { name: "Buy for €49.00" }).click();
    await page.getByRole("link", { name: "New here? Create an account" }).click();
    await page.waitForURL(`${gatewayUrl}/signup?returnTo=${encodeURIComponent(coursePath)}`);
    await page.getByLabel("Your name").fill("Ada Buyer");
    await page.getByLabel("Email").fill(uniqueEmail("journey-buyer"));
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${gatewayUrl}${coursePath}`);
    expect(await page.locator("[data-signed-in-as]").textContent()).toBe("Ada Buyer");

    // Buy: the payments API opens a checkout. The stand-in's checkout is on another origin the
    // page's form-action does not name, so the site hands over with a link (Stripe's own page is
    // reached straight from the form).
    const bought = page.waitForResponse(
      (answer) => answer.request().method() === "POST" && new URL(answer.url()).pathname === coursePath,
    );
    await page.getByRole("button", { name: "Buy for €49.00" }).click();
    expect((await bought).status()).toBe(303);
    await page.waitForURL(/\/checkout\/pay\?payment=/);
    const paymentId = new URL(page.url()).searchParams.get("payment") ?? "";
    const handOff = page.getByRole("link", { name: "Continue to the payment page" });
    const checkoutUrl = (await handOff.getAttribute("href")) ?? "";
    expect(checkoutUrl.startsWith(inject("stripeStandInUrl"))).toBe(true);
    await checkMainAccessibility(page);
    await handOff.click();
    await page.waitForURL(checkoutUrl);
    const sessionId = sessionIdOf(checkoutUrl);

    // Back before paying (the provider's page was left early): the return page waits a few seconds, then says so.
    const successUrl = await successUrlOf(sessionId);
    expect(new URL(successUrl).searchParams.get("payment")).toBe(paymentId);
    await page.goto(successUrl);
    expect(await page.locator("[data-checkout-state]").getAttribute("data-checkout-state")).toBe("confirming");
    expect(await page.locator('[data-state="confirming"]').textContent()).toContain("waiting for the payment service");
    expect(await page.getByRole("link", { name: "Check again" }).getAttribute("href")).toBe(
      new URL(successUrl).pathname + new URL(successUrl).search,
    );
    expect(await page.locator("main").textContent()).toContain("You do not need to pay again");
    await screenshot(page, "purchase-confirming");

    // The buyer pays at the checkout; the provider's webhook grants access; "Check again" finds it.
    await stripe.completeCheckout(sessionId);
    await expect
      .poll(async () => {
        await page.getByRole("link", { name: "Check again" }).click();
        await page.waitForLoadState();
        return page.locator("[data-checkout-state]").getAttribute("data-checkout-state");
      }, ASYNC_EFFECTS)
      .toBe("open");
    expect(await page.locator('[data-state="confirmed"]').textContent()).toContain(`“${course.title}” is now yours`);
    expect(await page.locator("[data-link=start]").getAttribute("href")).toBe(`/learn/${course.slug}/${firstLesson}`);
    await checkMainAccessibility(page);
    await screenshot(page, "purchase-complete");

    await page.locator("[data-link=course]").click();
    await page.waitForURL(`${gatewayUrl}${coursePath}`);
    expect(await page.locator("[data-course-action]").getAttribute("data-course-action")).toBe("access");
    expect(await page.locator("[data-action=continue]").textContent()).toContain("Continue learning");
    // The site's pages logged nothing (the stand-in's placeholder page has no favicon: not ours).
    expect(problems.consoleErrors.filter((error) => !error.includes(inject("stripeStandInUrl")))).toEqual([]);
  });

  it("comes straight to the course when the grant is quick: the return page waits for it by itself", async () => {
    const buyer = await registerAndLogin("purchase-quick");
    const opened = await api<{ paymentId: string; checkoutUrl: string }>("POST", `/api/payments/courses/${course.id}`, {
      token: buyer.tokens.accessToken,
    });
    expect(opened.status).toBe(201);
    const sessionId = sessionIdOf(opened.body.checkoutUrl);
    await stripe.completeCheckout(sessionId);
    const { page } = await browser.newPage();
    await signIn(page, buyer.email, "/courses");
    // One visit, no reload: the page asks the API a few times before it answers.
    await expect
      .poll(async () => {
        await page.goto(await successUrlOf(sessionId));
        return page.locator("[data-checkout-state]").getAttribute("data-checkout-state");
      }, ASYNC_EFFECTS)
      .toBe("open");
    expect(await page.locator("[data-link=course]").getAttribute("href")).toBe(`/courses/${course.slug}`);
  });
});

describe("the checkout's other ways back", () => {
  it("a subscription's checkout: back to the catalog once the subscription is active", async () => {
    const plan = await api<{ id: string }>("POST", "/api/payments/plans", {
      token: (await admin("purchase-plan-admin")).token,
      body: {
        name: `All access ${crypto.randomUUID().slice(0, 8)}`,
        interval: "month",
        price: { amountMinor: 1900, currency: "EUR" },
      },
    });
    expect(plan.status).toBe(201);
    const subscriber = await registerAndLogin("purchase-subscriber");
    const opened = await api<{ subscriptionId: string; checkoutUrl: string }>("POST", "/api/payments/subscriptions", {
      token: subscriber.tokens.accessToken,
      body: { planId: plan.body.id },
    });
    expect(opened.status).toBe(201);
    const sessionId = sessionIdOf(opened.body.checkoutUrl);
    const successUrl = await successUrlOf(sessionId);
    expect(new URL(successUrl).searchParams.get("subscription")).toBe(opened.body.subscriptionId);
    await stripe.completeCheckout(sessionId);

    const { page } = await browser.newPage();
    await signIn(page, subscriber.email, "/courses");
    await expect
      .poll(async () => {
        await page.goto(successUrl);
        return page.locator("[data-checkout-state]").getAttribute("data-checkout-state");
      }, ASYNC_EFFECTS)
      .toBe("subscription-active");
    expect(await page.locator('[data-state="subscription-active"]').textContent()).toContain("every course is open");
    expect(await page.getByRole("link", { name: "Browse the courses" }).getAttribute("href")).toBe("/courses");
  });

  it("a cancelled checkout: nothing charged, and a way back to the course", async () => {
    const buyer = await registerAndLogin("purchase-cancel");
    const opened = await api<{ paymentId: string }>("POST", `/api/payments/courses/${course.id}`, {
      token: buyer.tokens.accessToken,
    });
    const { page } = await browser.newPage();
    await signIn(page, buyer.email, `/checkout/canceled?payment=${opened.body.paymentId}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Checkout canceled");
    expect(await page.getByRole("link", { name: "Back to the course", exact: true }).getAttribute("href")).toBe(
      `/courses/${course.slug}`,
    );
    await checkMainAccessibility(page);
  });

  it("someone else's payment shows nothing of it, and a signed-out visitor signs in first", async () => {
    const owner = await registerAndLogin("purchase-owner");
    const opened = await api<{ paymentId: string }>("POST", `/api/payments/courses/${course.id}`, {
      token: owner.tokens.accessToken,
    });
    const returnPath = `/checkout/complete?payment=${opened.body.paymentId}&session_id=cs_test_x`;

    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}${returnPath}`);
    await page.waitForURL(`${gatewayUrl}/signin?returnTo=${encodeURIComponent(returnPath)}`);

    const stranger = await registerAndLogin("purchase-stranger");
    await signIn(page, stranger.email, "/courses");
    const answer = await page.goto(`${gatewayUrl}${returnPath}`);
    expect(answer?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("We could not find this purchase");
    expect(await page.locator("main").textContent()).not.toContain(course.title);

    const handOff = await page.goto(`${gatewayUrl}/checkout/pay?payment=${opened.body.paymentId}`);
    expect(handOff?.status()).toBe(404);
    expect(await page.locator("[data-link=checkout]").count()).toBe(0);
  });
});
