import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { publishedCourse, type CourseBody } from "../../test/support/courses.ts";
import { instructor } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
// The local Stripe stand-in the payments worker talks to, driven the way the payments tests drive it.
import { sessionIdOf, stripe } from "../../workers/payments/test/support/stripe.ts";
import { signInThroughSite } from "./site-forms.ts";

/**
 * The notifications inbox, its preferences and the header's unread badge in Chromium on the
 * running stack. Notices come from real events: the welcome from registering, a purchase
 * confirmation from buying a course (Stripe played by the local stand-in).
 */
const browser = useBrowser();
const origin = new URL(gatewayUrl).origin;

interface Learner {
  readonly email: string;
  readonly token: string;
}

interface InboxBody {
  items: Array<{ id: string; title: string; readAt: string | null }>;
  unreadCount: number;
}

let course: CourseBody;

beforeAll(async () => {
  course = await publishedCourse(await instructor("notifications-author"), {
    price: { amountMinor: 3900, currency: "EUR" },
    title: "A course worth a notice",
  });
});

/** A new learner whose welcome notice is in their inbox. */
async function welcomedLearner(tag: string): Promise<Learner> {
  const session = await registerAndLogin(tag);
  const learner = { email: session.email, token: session.tokens.accessToken };
  await expect
    .poll(async () => (await inbox(learner)).items.length, { ...ASYNC_EFFECTS, message: "the welcome" })
    .toBe(1);
  return learner;
}

const inbox = async (learner: Learner) =>
  (await api<InboxBody>("GET", "/api/notifications", { token: learner.token })).body;

async function signedInAt(learner: Learner, path: string) {
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, learner.email, path);
  return watched;
}

/** The header's link's accessible name: "Notifications", then ", N unread" when there are any. */
const badgeName = async (page: Page) =>
  (await page.locator("[data-notifications-badge]").getAttribute("aria-label")) ?? "";

/** Waits until the page's live socket is open and caught up (the hub's `ready` frame). */
async function liveReady(page: Page, load: () => Promise<unknown>): Promise<void> {
  const socket = page.waitForEvent("websocket");
  await load();
  const ws = await socket;
  await ws.waitForEvent("framereceived", { predicate: (frame) => String(frame.payload).includes('"ready"') });
}

describe("the inbox", () => {
  it("shows the welcome notice unread, with the count in the header, and marks it read", async () => {
    const learner = await welcomedLearner("inbox-welcome");
    const { page, problems } = await signedInAt(learner, "/notifications");

    const notice = page.locator("[data-notice]");
    expect(await notice.count()).toBe(1);
    expect(await notice.getAttribute("data-read")).toBe("false");
    expect(await notice.getByRole("heading").textContent()).toContain("Welcome to Edge Learning");
    expect(await notice.getByRole("link", { name: "Welcome to Edge Learning", exact: true }).getAttribute("href")).toBe(
      "/courses",
    );
    expect(await page.getByRole("link", { name: "Notifications, 1 unread" }).count()).toBe(1);
    expect(await badgeName(page)).toBe("Notifications, 1 unread");
    await checkAccessibility(page);
    await screenshot(page, "notifications-inbox");

    const answered = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
    );
    await notice.getByRole("button", { name: /Mark as read/ }).click();
    expect((await answered).status()).toBe(303);
    await page.waitForLoadState("load");
    expect(await page.locator("[data-notice]").getAttribute("data-read")).toBe("true");
    expect(await page.getByRole("link", { name: "Notifications", exact: true }).count()).toBe(1);
    expect((await inbox(learner)).unreadCount).toBe(0);

    await page.getByRole("link", { name: "Unread", exact: true }).click();
    await page.waitForURL(`${gatewayUrl}/notifications?unread=true`);
    expect(await page.locator("[data-inbox-empty]").textContent()).toContain("You have read everything.");
    expect(problems.consoleErrors).toEqual([]);
  });

  it("another person's notice cannot be marked read from here: a readable message, and it stays unread", async () => {
    const owner = await welcomedLearner("inbox-owner");
    const [theirs] = (await inbox(owner)).items;
    const stranger = await welcomedLearner("inbox-stranger");
    const { context } = await signedInAt(stranger, "/notifications");

    const forged = await context.request.post(`${gatewayUrl}/notifications`, {
      form: { intent: "read", id: theirs?.id ?? "" },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(400);
    expect(await forged.text()).toContain("That notification is no longer there.");
    expect((await inbox(owner)).items[0]?.readAt).toBeNull();
    const garbage = await context.request.post(`${gatewayUrl}/notifications`, {
      form: { intent: "read", id: "../read-all" },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(garbage.status()).toBe(400);
    expect((await inbox(stranger)).unreadCount).toBe(1);
  });
});

describe("the header's unread badge", () => {
  it("goes up live when a purchase produces a notice, is announced, and goes down when it is read elsewhere", async () => {
    const learner = await welcomedLearner("badge-live");
    const { page, problems } = await browser.newPage();
    await liveReady(page, async () => {
      await page.goto(`${gatewayUrl}/signin?returnTo=%2Faccount`);
      await page.getByLabel("Email").fill(learner.email);
      await page.getByLabel("Password").fill(GOOD_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${gatewayUrl}/account`);
    });
    expect(await badgeName(page)).toBe("Notifications, 1 unread");

    // A purchase, paid at the stand-in: COURSE_ACCESS_GRANTED → the purchase-confirmed notice → the live hub.
    const opened = await api<{ checkoutUrl: string }>("POST", `/api/payments/courses/${course.id}`, {
      token: learner.token,
    });
    expect(opened.status).toBe(201);
    await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));

    await expect.poll(() => badgeName(page), ASYNC_EFFECTS).toBe("Notifications, 2 unread");
    expect(await page.locator("[data-badge-count]").textContent()).toBe("2");
    expect(await page.locator("[data-badge-announcer]").textContent()).toBe("New notification: Purchase confirmed");
    expect(await page.locator("[data-badge-announcer]").getAttribute("role")).toBe("status");
    expect(page.url()).toBe(`${gatewayUrl}/account`);

    // Read on another device (the API here): the badge empties without a reload.
    expect((await api("POST", "/api/notifications/read-all", { token: learner.token })).status).toBe(200);
    await expect.poll(() => badgeName(page), ASYNC_EFFECTS).toBe("Notifications");
    expect(await page.locator("[data-badge-count]").isHidden()).toBe(true);
    expect(problems.consoleErrors).toEqual([]);
  });
});

describe("preferences", () => {
  it("turns a kind of notice off per channel; security email stays on and cannot be unticked", async () => {
    const learner = await welcomedLearner("preferences");
    const { page } = await signedInAt(learner, "/notifications/preferences");
    const securityEmail = page.getByRole("checkbox", { name: "Security and account: Email" });
    expect(await securityEmail.isChecked()).toBe(true);
    expect(await securityEmail.isDisabled()).toBe(true);
    await checkAccessibility(page);
    await screenshot(page, "notifications-preferences");

    await page.getByRole("checkbox", { name: "Purchases: Email" }).uncheck();
    await page.getByRole("checkbox", { name: "Getting started: In the app" }).uncheck();
    const answered = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
    );
    await page.getByRole("button", { name: "Save settings" }).click();
    expect((await answered).status()).toBe(303);
    await page.waitForURL(`${gatewayUrl}/notifications/preferences?done=saved`);
    expect(await page.getByRole("checkbox", { name: "Purchases: Email" }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "Purchases: In the app" }).isChecked()).toBe(true);

    const saved = await api<{
      categories: Array<{ category: string; channels: Array<{ channel: string; enabled: boolean }> }>;
    }>("GET", "/api/notifications/preferences", { token: learner.token });
    const enabled = (category: string, channel: string) =>
      saved.body.categories.find((entry) => entry.category === category)?.channels.find((c) => c.channel === channel)
        ?.enabled;
    expect(enabled("purchases", "email")).toBe(false);
    expect(enabled("onboarding", "in_app")).toBe(false);
    expect(enabled("purchases", "in_app")).toBe(true);
    expect(enabled("security", "email")).toBe(true);
  });
});
