import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
// The local Stripe stand-in the payments worker talks to, driven the way the payments tests drive it.
import { sessionIdOf, stripe } from "../../workers/payments/test/support/stripe.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";
import { accountWith, addTextLesson, apiCourse, postForm, readCourse, type Account } from "./studio-support.ts";

/**
 * The course's analytics page shows the progress service's figures (enrolled, started, completed,
 * the rate, the median time, the drop-off lesson) and the studio's list its learner counts and
 * its revenue from real purchases (and still shows when the payments service does not answer); the
 * Markdown preview works without script (a posted "Preview"); and the studio speaks German.
 */
const browser = useBrowser();
afterAll(() => db.end());

interface Analytics {
  enrolled: number;
  started: number;
  completed: number;
  completionRate: number | null;
  medianSecondsToComplete: number | null;
  lessons: { lessonId: string; title: string; stoppedHere: number; dropOff: boolean }[];
}

let author: Account;
let courseId: string;
let lessons: string[];

beforeAll(async () => {
  author = await accountWith(["instructor"], "studio-analytics");
  courseId = (await apiCourse(author, { title: "Counted course" })).id;
  lessons = [
    await addTextLesson(author, courseId, "One"),
    await addTextLesson(author, courseId, "Two"),
    await addTextLesson(author, courseId, "Three"),
  ];
  expect((await api("POST", `/api/courses/${courseId}/publish`, { token: author.token })).status).toBe(200);
  // Three learners: one finishes, one stops after the first lesson, one only enrolls.
  const learners = await Promise.all(["a", "b", "c"].map((tag) => accountWith(["learner"], `studio-analytics-${tag}`)));
  for (const learner of learners) {
    expect((await api("POST", `/api/courses/${courseId}/enroll`, { token: learner.token })).status).toBe(201);
  }
  const complete = async (learner: Account, lessonId: string) =>
    expect(
      (await api("POST", `/api/progress/lessons/${lessonId}`, { token: learner.token, body: { event: "completed" } }))
        .status,
    ).toBe(200);
  for (const lessonId of lessons) await complete(learners[0] as Account, lessonId);
  await complete(learners[1] as Account, lessons[0] as string);
  // Enrollments reach the progress service as events.
  await vi.waitFor(async () => {
    const figures = await api<Analytics>("GET", `/api/progress/courses/${courseId}/analytics`, {
      token: author.token,
    });
    expect([figures.body.enrolled, figures.body.completed]).toEqual([3, 1]);
  }, ASYNC_EFFECTS);
}, 120_000);

describe("analytics", () => {
  it("shows the progress service's figures and marks the drop-off lesson", async () => {
    const figures = (
      await api<Analytics>("GET", `/api/progress/courses/${courseId}/analytics`, { token: author.token })
    ).body;
    const { page } = await browser.newPage();
    await signInThroughSite(page, author.email, `/studio/courses/${courseId}/analytics`);
    const figure = (key: string) => page.locator(`[data-figure="${key}"]`).textContent();
    expect(await figure("enrolled")).toBe("3");
    expect(await figure("started")).toBe(String(figures.started));
    expect(await figure("completed")).toBe("1");
    expect(await figure("completion-rate")).toBe("33%");
    // Completed within the test: under a minute, shown as the minute it rounds up to.
    expect(figures.medianSecondsToComplete).not.toBeNull();
    expect(await figure("median")).toBe("1 min");
    const dropOff = figures.lessons.find((lesson) => lesson.dropOff);
    expect(dropOff, "the service names a drop-off lesson").toBeDefined();
    expect(await page.locator("[data-drop-off=true] th").textContent()).toContain(dropOff?.title);
    expect(await page.locator("[data-drop-off-summary]").textContent()).toContain(`“${dropOff?.title}”`);
    expect(await page.locator("[data-lesson-figures]").count()).toBe(3);
    await checkAccessibility(page);
    await screenshot(page, "studio-analytics");

    // The studio's list counts the same learners.
    await page.goto(`${gatewayUrl}/studio`);
    const row = page.locator(`[data-course-id="${courseId}"]`);
    expect(await row.locator("[data-figure=enrolled]").textContent()).toBe("3");
    expect(await row.locator("[data-figure=completed]").textContent()).toBe("1");
    expect(await row.locator("[data-figure=completion-rate]").textContent()).toBe("33%");
  });
});

describe("revenue in the course list", () => {
  let seller: Account;
  let soldId: string;
  let unsoldId: string;

  /** A learner buys the course at the Stripe stand-in's checkout; resolves once the webhook made it paid. */
  async function paidPurchase(tag: string): Promise<{ buyer: Account; paymentId: string }> {
    const buyer = await accountWith(["learner"], tag);
    const opened = await api<{ paymentId: string; checkoutUrl: string }>("POST", `/api/payments/courses/${soldId}`, {
      token: buyer.token,
    });
    expect(opened.status).toBe(201);
    await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));
    await vi.waitFor(async () => {
      const { rows } = await db.query<{ status: string }>("select status from payments.payments where id = $1", [
        opened.body.paymentId,
      ]);
      expect(rows[0]?.status, "the webhook to mark the purchase paid").toBe("paid");
    }, ASYNC_EFFECTS);
    return { buyer, paymentId: opened.body.paymentId };
  }

  beforeAll(async () => {
    seller = await accountWith(["instructor"], "studio-revenue");
    soldId = (await apiCourse(seller, { title: "Sold course", price: { amountMinor: 4900, currency: "EUR" } })).id;
    await addTextLesson(seller, soldId, "Only lesson");
    expect((await api("POST", `/api/courses/${soldId}/publish`, { token: seller.token })).status).toBe(200);
    unsoldId = (await apiCourse(seller, { title: "Not sold yet" })).id;
    await paidPurchase("studio-revenue-kept");
    const refunded = await paidPurchase("studio-revenue-refunded");
    const refund = await api("POST", `/api/payments/${refunded.paymentId}/refund`, { token: refunded.buyer.token });
    expect(refund.status).toBe(200);
  }, 120_000);

  it("shows each course's net revenue as money, with the sales and refunds behind it", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, seller.email, "/studio");
    const sold = page.locator(`[data-course-id="${soldId}"] [data-figure=revenue]`);
    expect(await sold.getAttribute("data-revenue-state")).toBe("sold");
    // Two sales of €49.00, one refunded: €49.00 kept.
    expect(await sold.locator("[data-currency=EUR] [data-net]").textContent()).toBe("€49.00");
    expect(await sold.locator("[data-currency=EUR] [data-behind]").textContent()).toBe("2 sales · €49.00 refunded");
    expect(await sold.locator("[data-currency]").count()).toBe(1);
    const unsold = page.locator(`[data-course-id="${unsoldId}"] [data-figure=revenue]`);
    expect(await unsold.getAttribute("data-revenue-state")).toBe("none");
    expect((await unsold.textContent())?.trim()).toBe("No sales yet");
    expect(await page.locator("[data-revenue-note]").textContent()).toContain("subscriptions are not counted");
    await checkAccessibility(page);
    await screenshot(page, "studio-revenue");
  });

  it("still lists the courses when the payments service does not answer, the revenue marked unavailable", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, seller.email, "/studio");
    // The payments table held by a lock: the revenue read waits past the site's deadline for the API.
    const holder = await db.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table payments.payments in access exclusive mode");
      const answer = await page.goto(`${gatewayUrl}/studio`);
      expect(answer?.status()).toBe(200);
      const revenue = page.locator(`[data-course-id="${soldId}"] [data-figure=revenue]`);
      expect(await revenue.getAttribute("data-revenue-state")).toBe("unavailable");
      expect((await revenue.textContent())?.trim()).toBe("Unavailable right now");
      expect(await page.locator("[data-studio-courses] [data-course-id]").count()).toBe(2);
      expect(await page.locator("[data-state=unavailable]").count(), "no page-wide outage notice").toBe(0);
    } finally {
      await holder.query("rollback");
      holder.release();
    }
  });
});

describe("the Markdown preview without script", () => {
  it("posts the form back and shows the API's rendering beside the text, keeping what was typed", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, author.email, "/studio/courses/new");
    const answer = await postForm(page, "/studio/courses/new", {
      intent: "preview",
      title: "Kept as typed",
      description: "Some **bold** words <b>and raw html</b>",
      amount: "12.50",
      currency: "USD",
    });
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('value="Kept as typed"');
    expect(answer.html).toContain('value="12.50"');
    const preview = /data-markdown-preview[^>]*>([\s\S]*?)<\/div>/.exec(answer.html)?.[1] ?? "";
    expect(preview).toContain("<strong>bold</strong>");
    expect(preview).toContain("&lt;b&gt;and raw html&lt;/b&gt;");
    expect(
      (await api<{ items: unknown[] }>("GET", "/api/courses/mine", { token: author.token })).body.items,
    ).toHaveLength(1);
  });
});

describe("in German", () => {
  it("speaks the author's language, prices with a decimal comma included", async () => {
    const german = await accountWith(["instructor"], "studio-german");
    await expect
      .poll(async () => (await api("PATCH", "/api/users/me", { token: german.token, body: { locale: "de" } })).status, {
        ...ASYNC_EFFECTS,
        message: "the profile made from USER_CREATED",
      })
      .toBe(200);
    const { page } = await browser.newPage({ locale: "de-DE" });
    await signInThroughSite(page, german.email, "/studio/courses/new");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Neuer Kurs");
    await page.getByLabel("Titel").fill("Ein deutscher Kurs");
    await page.getByLabel("Preis").fill("19,999");
    expect(await submitForm(page, "Kurs anlegen")).toBe(400);
    expect(await page.locator("#field-amount-error").textContent()).toBe("Höchstens 2 Nachkommastellen.");
    await page.getByLabel("Preis").fill("0,10");
    expect(await submitForm(page, "Kurs anlegen")).toBe(400);
    expect(await page.locator("#field-amount-error").textContent()).toContain("0,50");
    await page.getByLabel("Preis").fill("19,99");
    expect(await submitForm(page, "Kurs anlegen")).toBe(303);
    const id = /\/studio\/courses\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
    expect((await readCourse(german, id)).price).toEqual({ amountMinor: 1999, currency: "EUR" });
    expect(await page.getByRole("link", { name: "Abschnitte und Lektionen" }).count()).toBe(1);
    await checkAccessibility(page);
  });
});
