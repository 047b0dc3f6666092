import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { instructor, type Person } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import {
  enroll,
  learningCourse,
  lessonUrl,
  newLearner,
  signInThroughSite,
  type LearningCourse,
} from "./learning-support.ts";

/**
 * Who may open what on the learner's pages, and what a page does when it may not: a locked lesson
 * says how to open it (sign in, or get the course) and shows none of its content; free previews
 * play for anyone. "Mark as complete" works without JavaScript. The pages' JSON endpoints refuse
 * the signed-out, other sites, bad input and lessons the learner has no access to, as problems.
 */
const browser = useBrowser();

let author: Person;
let paid: LearningCourse;
let free: LearningCourse;

beforeAll(async () => {
  author = await instructor("learning-access-author");
  [paid, free] = await Promise.all([
    learningCourse(author, { title: "Paid course", price: { amountMinor: 1900, currency: "EUR" } }),
    learningCourse(author, { title: "Free course" }),
  ]);
});
afterAll(() => db.end());

const pathOf = (url: string) => new URL(url).pathname;

describe("locked lessons", () => {
  it("asks a signed-out visitor to sign in, and plays a free preview for them", async () => {
    const { page } = await browser.newPage();
    const locked = await page.goto(lessonUrl(paid.course, paid.lessons[1]));
    expect(locked?.status()).toBe(403);
    const notice = page.locator("[data-locked]");
    expect(await notice.getAttribute("data-state")).toBe("signed-out");
    expect(await page.getByRole("link", { name: "Sign in" }).last().getAttribute("href")).toBe(
      `/signin?returnTo=${encodeURIComponent(pathOf(lessonUrl(paid.course, paid.lessons[1])))}`,
    );
    expect(await notice.getByRole("link", { name: "Go to the course page" }).getAttribute("href")).toBe(
      `/courses/${paid.course.slug}`,
    );
    expect(await page.locator("[data-lesson-text]").count()).toBe(0);
    expect(await page.locator("[data-complete-control]").count()).toBe(0);
    await checkAccessibility(page);
    await screenshot(page, "learning-lesson-locked");

    const preview = await page.goto(lessonUrl(paid.course, paid.preview));
    expect(preview?.status()).toBe(200);
    expect(await page.locator("[data-lesson-text]").textContent()).toContain("Open to everyone.");
    expect(await page.locator("[data-state=preview-signed-out]").count()).toBe(1);
    // Every lesson but the preview is locked in the outline; the preview is marked as the current one.
    const states = await page
      .locator("[data-outline] li")
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.state));
    expect(states).toEqual(["locked", "locked", "not-started"]);
    expect(await page.locator("[data-outline] a[aria-current=page]").textContent()).toContain("Free taster");
  });

  it("refuses a signed-in learner without the course: no content, no media, and the way to the course", async () => {
    const learner = await newLearner("learning-no-access");
    const { page, context } = await browser.newPage();
    const [video, reading] = paid.lessons;
    await signInThroughSite(page, learner.email, "/learning");

    for (const lessonId of [video, reading]) {
      const answer = await page.goto(lessonUrl(paid.course, lessonId));
      expect(answer?.status()).toBe(403);
      expect(await page.locator("[data-locked]").getAttribute("data-state")).toBe("no-access");
      expect(await page.locator("video, [data-lesson-text], [data-downloads]").count()).toBe(0);
      expect(await page.locator("[data-locked] a.btn-primary").getAttribute("href")).toBe(
        `/courses/${paid.course.slug}`,
      );
    }
    expect(await page.content()).not.toContain("/media/");

    // Nor through the pages' endpoints, with the learner's own session.
    const origin = { origin: gatewayUrl };
    const record = await context.request.post(`${gatewayUrl}/learn/progress`, {
      headers: origin,
      data: { lessonId: reading, event: "completed" },
    });
    expect(record.status()).toBe(403);
    expect(record.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    const links = await context.request.get(
      `${gatewayUrl}/learn/media-url?${new URLSearchParams({ courseId: paid.course.id, lessonId: video })}`,
    );
    expect(links.status()).toBe(403);
    expect(((await links.json()) as { detail: string }).detail).toBeTruthy();

    // The preview is open to them, and they may keep their progress on it.
    expect((await page.goto(lessonUrl(paid.course, paid.preview)))?.status()).toBe(200);
    expect(await page.locator("[data-complete-control]").count()).toBe(1);
  });

  it("answers 404 for a lesson that is not in the course and for an unknown course", async () => {
    const { page } = await browser.newPage();
    const otherCourse = await page.goto(lessonUrl(paid.course, free.lessons[0]));
    expect(otherCourse?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    expect((await page.goto(`${gatewayUrl}/learn/no-such-course/${free.lessons[0]}`))?.status()).toBe(404);
    expect((await page.goto(`${gatewayUrl}/learn/${free.course.slug}/not-a-uuid`))?.status()).toBe(404);
  });
});

describe("mark as complete without JavaScript", () => {
  it("posts the form, redirects back to the lesson, and shows it completed", async () => {
    const learner = await newLearner("learning-no-js");
    await enroll(learner.tokens.accessToken, free.course.id);
    const { page, context } = await browser.newPage();
    const [, reading] = free.lessons;
    await signInThroughSite(page, learner.email, "/learning");
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });

    // With no script, nothing but the form talks to the site: no view recorded, no live socket.
    const scripted: string[] = [];
    page.on("request", (request) => {
      if (/\/learn\/progress|\/live\/ticket/.test(request.url())) scripted.push(request.url());
    });
    await page.goto(lessonUrl(free.course, reading));
    const posted = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
    );
    await page.getByRole("button", { name: "Mark as complete" }).click();
    expect((await posted).status()).toBe(303);
    await page.waitForLoadState("load");
    expect(page.url()).toBe(lessonUrl(free.course, reading));
    expect(await page.locator("[data-completed-badge]").isVisible()).toBe(true);
    expect(await page.locator("[data-complete-form]").isVisible()).toBe(false);
    expect(await page.locator(`[data-outline] li[data-lesson-id="${reading}"]`).getAttribute("data-state")).toBe(
      "completed",
    );
    expect(await page.locator("[data-progress-text]").first().textContent()).toContain("33% complete");
    expect(scripted).toEqual([]);

    const progress = await api<{ lessons: { lessonId: string; state: string }[] }>(
      "GET",
      `/api/progress/courses/${free.course.id}`,
      { token: learner.tokens.accessToken },
    );
    expect(progress.body.lessons.find((lesson) => lesson.lessonId === reading)?.state).toBe("completed");
  });

  it("speaks the learner's language", async () => {
    const learner = await newLearner("learning-german");
    await enroll(learner.tokens.accessToken, free.course.id);
    // The profile's language wins over the browser's; the profile is made from USER_CREATED, so it may lag.
    await expect
      .poll(
        async () =>
          (await api("PATCH", "/api/users/me", { token: learner.tokens.accessToken, body: { locale: "de" } })).status,
        ASYNC_EFFECTS,
      )
      .toBe(200);
    const { page } = await browser.newPage({ locale: "de-DE" });
    await signInThroughSite(page, learner.email, pathOf(lessonUrl(free.course, free.lessons[2])));
    expect(await page.getByRole("button", { name: "Als erledigt markieren" }).count()).toBe(1);
    expect(await page.locator("[data-outline] summary h2").textContent()).toBe("Kursinhalt");
    await page.goto(`${gatewayUrl}/learning`);
    expect(await page.locator("h1").textContent()).toBe("Mein Lernen");
  });
});

describe("my learning and certificates", () => {
  it("sends a signed-out visitor to sign in, and shows a new learner the way to the catalog", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/learning`);
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(new URL(page.url()).searchParams.get("returnTo")).toBe("/learning");

    const learner = await newLearner("learning-empty");
    await signInThroughSite(page, learner.email, "/learning");
    expect(await page.locator("[data-state=empty] a").getAttribute("href")).toBe("/courses");
    await checkAccessibility(page);
    await page.goto(`${gatewayUrl}/learning/certificates`);
    expect(await page.locator("[data-state=empty]").count()).toBe(1);
  });
});

describe("the progress endpoint", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gatewayUrl}/learn/progress`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: gatewayUrl,
        "cf-connecting-ip": newClientAddress(),
        ...headers,
      },
      body,
    });

  it("refuses a signed-out caller with a problem", async () => {
    const answer = await post(JSON.stringify({ lessonId: free.lessons[0], event: "viewed" }));
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
  });

  it("refuses a post from another site before anything else", async () => {
    const answer = await post(JSON.stringify({ lessonId: free.lessons[0], event: "viewed" }), {
      origin: "https://evil.example",
    });
    expect(answer.status).toBe(403);
  });

  it("names each bad field, and refuses what is not JSON", async () => {
    const learner = await newLearner("learning-endpoint");
    await enroll(learner.tokens.accessToken, free.course.id);
    const { page, context } = await browser.newPage();
    await signInThroughSite(page, learner.email, "/learning");
    const send = (data: unknown, headers: Record<string, string> = {}) =>
      context.request.post(`${gatewayUrl}/learn/progress`, {
        headers: { origin: gatewayUrl, "content-type": "application/json", ...headers },
        data: typeof data === "string" ? data : JSON.stringify(data),
      });

    const bad = await send({ lessonId: "nope", event: "finished", positionSeconds: -3 });
    expect(bad.status()).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path).sort()).toEqual([
      "json.event",
      "json.lessonId",
      "json.positionSeconds",
    ]);
    const noPosition = await send({ lessonId: free.lessons[0], event: "position" });
    expect(noPosition.status()).toBe(400);
    expect(await noPosition.text()).toContain("json.positionSeconds");
    expect((await send("{not json")).status()).toBe(400);
    expect((await send("lessonId=x", { "content-type": "application/x-www-form-urlencoded" })).status()).toBe(415);
    expect((await send({ lessonId: free.lessons[0], event: "position", positionSeconds: 1e9 })).status()).toBe(400);

    const fine = await send({ lessonId: free.lessons[0], event: "position", positionSeconds: 12.5 });
    expect(fine.status()).toBe(200);
    expect(await fine.json()).toMatchObject({
      lessonId: free.lessons[0],
      courseId: free.course.id,
      state: "viewed",
      positionSeconds: 12.5,
      course: { percent: 0 },
    });
    const states = await context.request.get(`${gatewayUrl}/learn/progress?courseId=${free.course.id}`);
    expect(await states.json()).toMatchObject({ courseId: free.course.id, percent: 0 });
    expect((await context.request.get(`${gatewayUrl}/learn/progress?courseId=x`)).status()).toBe(400);
    expect((await context.request.get(`${gatewayUrl}/learn/media-url?courseId=x&lessonId=y`)).status()).toBe(400);
  });
});
