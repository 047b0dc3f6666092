import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { instructor, type Person } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import {
  enroll,
  learningCourse,
  lessonUrl,
  liveOpen,
  newLearner,
  signInThroughSite,
  type LearningCourse,
} from "./learning-support.ts";

/**
 * Journey 2 in a real browser (DESIGN.md §1): a learner works through a course on one device while
 * "my learning" is open in a second tab and the course in a second browser (another device). Each
 * completion shows at once where it was made (in place, no reload) and, over the live socket, on
 * the other tab and device; the last one completes the course, and its certificate is listed and
 * verifiable.
 */
const browser = useBrowser();

let author: Person;
let free: LearningCourse;

beforeAll(async () => {
  author = await instructor("learning-journey-author");
  free = await learningCourse(author, { title: "Journey course" });
});
afterAll(() => db.end());

const outlineState = (page: Page, lessonId: string) =>
  page.locator(`[data-outline] li[data-lesson-id="${lessonId}"]`).getAttribute("data-state");
const meterText = (page: Page, courseId: string) =>
  page.locator(`[data-progress-meter][data-course-id="${courseId}"] [data-progress-text]`).first().textContent();

describe("journey 2: learn, live on every open page, complete, certificate", () => {
  it("completes lessons in place, shows them live in another tab and device, and ends with a verifiable certificate", async () => {
    const learner = await newLearner("learning-journey");
    await enroll(learner.tokens.accessToken, free.course.id);
    const [video, reading, taster] = free.lessons;
    const courseId = free.course.id;

    // Device A: the first lesson. Tab B (same browser): my learning. Device C: the second lesson.
    const deviceA = await browser.newPage();
    await signInThroughSite(deviceA.page, learner.email, new URL(lessonUrl(free.course, video)).pathname);
    const tabB = await deviceA.context.newPage();
    await tabB.goto(`${gatewayUrl}/learning`);
    const deviceC = await browser.newPage();
    await signInThroughSite(deviceC.page, learner.email, new URL(lessonUrl(free.course, reading)).pathname);
    await Promise.all([liveOpen(deviceA.page), liveOpen(tabB), liveOpen(deviceC.page)]);

    const card = tabB.locator(`[data-course-card="${courseId}"]`);
    await expect.poll(() => card.count()).toBe(1);
    expect(await meterText(tabB, courseId)).toContain("0% complete");
    // Opening a lesson records a view, which every page of the learner hears about.
    await expect.poll(() => outlineState(deviceC.page, video), ASYNC_EFFECTS).toBe("viewed");

    await checkAccessibility(deviceA.page);
    await screenshot(deviceA.page, "learning-lesson-video");

    // A: complete the first lesson in place: the page is not reloaded (a mark set on it survives).
    await deviceA.page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await deviceA.page.getByRole("button", { name: "Mark as complete" }).click();
    await deviceA.page.locator("[data-completed-badge]").waitFor({ state: "visible" });
    expect(await deviceA.page.evaluate(() => "notReloaded" in window)).toBe(true);
    expect(await outlineState(deviceA.page, video)).toBe("completed");
    expect(await meterText(deviceA.page, courseId)).toContain("33% complete");
    // … and live elsewhere: the other device's outline and bar, the other tab's card.
    await expect.poll(() => outlineState(deviceC.page, video), ASYNC_EFFECTS).toBe("completed");
    await expect.poll(() => meterText(deviceC.page, courseId), ASYNC_EFFECTS).toContain("33% complete");
    await expect.poll(() => meterText(tabB, courseId), ASYNC_EFFECTS).toContain("33% complete");
    await expect.poll(() => card.locator("[data-field=lessons]").textContent(), ASYNC_EFFECTS).toContain("1 of 3");

    // A: on to the second lesson, which device C shows: its own control turns into "completed".
    await deviceA.page.locator("[data-nav=next]").click();
    await deviceA.page.waitForURL(lessonUrl(free.course, reading));
    await liveOpen(deviceA.page);
    await deviceA.page.getByRole("button", { name: "Mark as complete" }).click();
    await deviceA.page.locator("[data-completed-badge]").waitFor({ state: "visible" });
    await deviceC.page.locator("[data-completed-badge]").waitFor({ state: "visible", timeout: ASYNC_EFFECTS.timeout });
    expect(await outlineState(deviceC.page, reading)).toBe("completed");
    await expect.poll(() => meterText(tabB, courseId), ASYNC_EFFECTS).toContain("66% complete");

    // A: the last lesson completes the course, which every page congratulates.
    await deviceA.page.locator("[data-nav=next]").click();
    await deviceA.page.waitForURL(lessonUrl(free.course, taster));
    await deviceA.page.getByRole("button", { name: "Mark as complete" }).click();
    await deviceA.page.locator("[data-course-done]").waitFor({ state: "visible" });
    expect(await meterText(deviceA.page, courseId)).toContain("100% complete");
    await deviceC.page.locator("[data-course-done]").waitFor({ state: "visible", timeout: ASYNC_EFFECTS.timeout });
    await expect.poll(() => meterText(tabB, courseId), ASYNC_EFFECTS).toContain("100% complete");
    await expect
      .poll(() => card.locator("[data-field=activity]").textContent(), ASYNC_EFFECTS)
      .toMatch(/^Completed on /);
    expect(await card.locator("[data-field=continue]").textContent()).toContain("Review the course");
    await checkAccessibility(tabB);
    await screenshot(tabB, "learning-my-learning");

    // The certificate follows the completion through the event path: listed, then verifiable.
    const certificates = deviceC.page;
    await expect
      .poll(
        async () => {
          await certificates.goto(`${gatewayUrl}/learning/certificates`);
          return certificates.locator("[data-certificate-id]").count();
        },
        { ...ASYNC_EFFECTS, timeout: 40_000, message: "the certificate is issued" },
      )
      .toBe(1);
    expect(await certificates.locator("[data-certificate-id] h2").textContent()).toBe("Journey course");
    await checkAccessibility(certificates);
    await screenshot(certificates, "learning-certificates");
    const link = certificates.locator("[data-certificate-link]");
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^\/certificates\/[0-9a-f-]{36}$/);
    const certificateId = href?.split("/").pop() ?? "";
    const verified = await api<{ course: { id: string; title: string }; learnerName: string; revoked: boolean }>(
      "GET",
      `/api/progress/certificates/${certificateId}`,
    );
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      course: { id: courseId, title: "Journey course" },
      learnerName: "User learning-journey",
      revoked: false,
    });
    await link.click();
    await certificates.waitForURL(`${gatewayUrl}${href}`);
    await expect.poll(() => certificates.locator("main").textContent()).toContain("Journey course");

    for (const page of [deviceA, deviceC]) {
      expect(page.problems.pageErrors).toEqual([]);
      expect(page.problems.consoleErrors).toEqual([]);
    }
  });
});
