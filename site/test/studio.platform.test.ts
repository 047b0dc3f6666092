import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { standInClient } from "@platform/stripe-stand-in";
// The stack's provided values (`inject`) are declared by the platform setup.
import type {} from "../../test/setup/platform.ts";
import { api, gatewayUrl, registerAndLogin } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { uniqueSlug } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { videoLoaded, videoState } from "./learning-support.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";
import { accountWith, lessonOrder, readContent, readCourse, type Account } from "./studio-support.ts";

/**
 * The author's studio in Chromium on the running stack, as a new author uses it: a course
 * created with its price typed as money and its description previewed by the API's own renderer,
 * a section, a text lesson and a video lesson (its file sent by the studio's uploader), a publish
 * refused with the checklist listing what is missing, each item fixed, the course published and
 * found in the public catalog, and a buyer's player playing the author's video, byte for byte.
 * What the pages did is checked at the API.
 */
const browser = useBrowser();
const stripe = standInClient(inject("stripeStandInUrl"));
afterAll(() => db.end());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A real 40-second WebM the learner pages' tests play (site/test/learning-fixtures). */
const VIDEO = fileURLToPath(new URL("./learning-fixtures/lesson.webm", import.meta.url));

const HOSTILE_DESCRIPTION =
  "Learn **caching** at the edge.\n\n<script>alert('x')</script> [bad](javascript:alert(1)) [docs](https://example.com)";

async function signedInStudio(account: Account, path = "/studio") {
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, account.email, path);
  return watched;
}

const courseIdOf = (url: string) => /\/studio\/courses\/([0-9a-f-]{36})/.exec(url)?.[1] ?? "";

describe("an author publishes a course from the studio", () => {
  it("creates it, writes its outline, fixes what the checklist lists, publishes, and finds it in the catalog", async () => {
    const author = await accountWith(["instructor"], "studio-author");
    const { page, problems } = await signedInStudio(author);

    // The studio's home: no course yet, and the way to start one.
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your courses");
    expect(await page.locator("[data-state=empty]").count()).toBe(1);
    await page.getByRole("link", { name: "New course" }).click();
    await page.waitForURL(`${gatewayUrl}/studio/courses/new`);

    // The address follows the title while the author types (the API's own rule), then is theirs.
    await page.getByLabel("Title").pressSequentially("Edge Caching in Practice");
    expect(await page.getByLabel("Address (slug)").inputValue()).toBe("edge-caching-in-practice");
    const slug = uniqueSlug("edge-caching");
    await page.getByLabel("Address (slug)").fill(slug);

    // The preview is the API renderer's: Markdown rendered, the script shown as text, the unsafe link dropped.
    await page.getByLabel("Description").fill(HOSTILE_DESCRIPTION);
    const preview = page.locator("[data-markdown-preview]");
    await expect.poll(() => preview.locator("strong").textContent(), ASYNC_EFFECTS).toBe("caching");
    expect(await preview.locator("script").count()).toBe(0);
    expect(await preview.textContent()).toContain("<script>alert('x')</script>");
    expect(await preview.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual([
      "https://example.com",
    ]);
    // With script the "Preview" button (the no-script way) is hidden.
    expect(await page.locator("[data-preview-button]").isHidden()).toBe(true);

    // A price with too many decimals is refused beside the field, in words; nothing is created.
    await page.getByLabel("Price", { exact: true }).fill("49.999");
    await page.getByLabel("Currency").selectOption("EUR");
    expect(await submitForm(page, "Create course")).toBe(400);
    expect(await page.locator("#field-amount-error").textContent()).toBe("Use at most 2 decimals.");
    expect(await page.getByLabel("Price", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Address (slug)").inputValue()).toBe(slug);
    expect((await api("GET", `/api/courses/by-slug/${slug}`, { token: author.token })).status).toBe(404);

    // 49,00 with a decimal comma is 4900 minor units of EUR. No summary yet: the checklist will say so.
    await page.getByLabel("Price", { exact: true }).fill("49,00");
    await page.getByLabel("Level").selectOption("intermediate");
    expect(await submitForm(page, "Create course")).toBe(303);
    await page.waitForURL(/\/studio\/courses\/[0-9a-f-]{36}\?done=created$/);
    const courseId = courseIdOf(page.url());
    expect(await page.locator("[data-state=created]").textContent()).toContain("created as a draft");
    const created = await readCourse(author, courseId);
    expect(created).toMatchObject({
      title: "Edge Caching in Practice",
      slug,
      summary: "",
      description: HOSTILE_DESCRIPTION,
      level: "intermediate",
      status: "draft",
      price: { amountMinor: 4900, currency: "EUR" },
    });
    // What the preview showed is what the API stored.
    expect(await preview.innerHTML()).toBe(created.descriptionHtml);
    expect(await page.getByLabel("Price", { exact: true }).inputValue()).toBe("49.00");
    await checkAccessibility(page);
    await screenshot(page, "studio-course-editor");

    // A section, then a text lesson and a video lesson in it.
    await page.getByRole("link", { name: "Sections and lessons" }).click();
    await page.getByLabel("Section title").fill("Getting started");
    expect(await submitForm(page, "Add section")).toBe(303);
    expect(await page.locator("[data-state=sectionAdded]").count()).toBe(1);

    await page.getByRole("link", { name: "Add a lesson to “Getting started”" }).click();
    await page.getByLabel("Title").fill("Why caches go stale");
    await page.getByRole("radio", { name: /^Text/ }).check();
    // With script, a text lesson shows its text and not a video's length. The page's module script may run
    // after the click returns, so this waits for it rather than sampling once.
    await expect.poll(() => page.getByLabel("Length").isHidden(), ASYNC_EFFECTS).toBe(true);
    await page.getByLabel("Text", { exact: true }).fill("# Stale\n\nA cache is *stale* when…");
    await expect.poll(() => page.locator("[data-markdown-preview] h1").textContent(), ASYNC_EFFECTS).toBe("Stale");
    expect(await submitForm(page, "Add lesson")).toBe(303);
    expect(await page.locator("[data-state=created]").count()).toBe(1);

    await page.getByRole("link", { name: "Back to sections and lessons" }).click();
    await page.getByRole("link", { name: "Add a lesson to “Getting started”" }).click();
    await page.getByLabel("Title").fill("Watch: purging");
    await page.getByRole("radio", { name: /^Video/ }).check();
    await expect.poll(() => page.getByLabel("Text", { exact: true }).isHidden(), ASYNC_EFFECTS).toBe(true);
    await page.getByLabel("Length").fill("0:40");
    expect(await submitForm(page, "Add lesson")).toBe(303);
    const videoId = /\/lessons\/([0-9a-f-]{36})\?done=created$/.exec(page.url())?.[1] ?? "";
    expect(await page.locator("[data-media-missing]").isVisible()).toBe(true);

    expect(await lessonOrder(author, courseId)).toEqual([
      ["Why caches go stale", "Getting started"],
      ["Watch: purging", "Getting started"],
    ]);

    // Publishing is refused: the checklist lists the summary and the video's media, each with its fix.
    await page.getByRole("link", { name: "Publish" }).click();
    expect(await page.locator("[data-publication-status]").textContent()).toContain("draft");
    expect(await submitForm(page, "Publish course")).toBe(422);
    const items = page.locator("[data-checklist-item]");
    expect(await items.allTextContents()).toEqual([
      "Write a summary for the catalog. Edit the details",
      "Upload the media of the lesson “Watch: purging”. Open the lesson",
    ]);
    await checkAccessibility(page);
    await screenshot(page, "studio-publish-checklist");
    expect((await readCourse(author, courseId)).status).toBe("draft");

    // Fix the summary from the checklist's link.
    await items.nth(0).getByRole("link").click();
    await page.getByLabel("Summary").fill("Keep pages fresh and fast, everywhere.");
    expect(await submitForm(page, "Save details")).toBe(303);
    expect(await page.locator("[data-state=saved]").count()).toBe(1);

    // Upload the video from the lesson's page (the studio's uploader), from the checklist's link.
    await page.goto(`${gatewayUrl}/studio/courses/${courseId}/publish`);
    expect(await submitForm(page, "Publish course")).toBe(422);
    expect(await items.allTextContents()).toEqual(["Upload the media of the lesson “Watch: purging”. Open the lesson"]);
    await items.nth(0).getByRole("link").click();
    await page.waitForURL(`${gatewayUrl}/studio/courses/${courseId}/lessons/${videoId}`);
    const uploaderRoot = page.locator('[data-media-upload][data-purpose="video"]');
    await uploaderRoot.locator("input[type=file]").setInputFiles(VIDEO);
    await expect.poll(() => uploaderRoot.getAttribute("data-state"), { timeout: 60_000, interval: 200 }).toBe("done");
    expect(await page.locator("[data-media-missing]").isHidden()).toBe(true);
    const withVideo = await readContent(author, courseId);
    expect(withVideo.lessons.find((lesson) => lesson.id === videoId)?.mediaUrl).toBeTruthy();

    // Now it publishes, and the course is in the public catalog and on its page.
    await page.getByRole("link", { name: "Publish" }).click();
    expect(await submitForm(page, "Publish course")).toBe(303);
    expect(await page.locator("[data-state=published]").textContent()).toContain("published");
    expect((await readCourse(author, courseId)).status).toBe("published");
    await expect
      .poll(async () => {
        const catalog = await api<{ items: { id: string }[] }>("GET", "/api/courses?q=edge%20caching&limit=50");
        return catalog.body.items.some((item) => item.id === courseId);
      }, ASYNC_EFFECTS)
      .toBe(true);
    await page.goto(`${gatewayUrl}/courses?q=${encodeURIComponent("Edge Caching in Practice")}`);
    await page.getByRole("link", { name: "Edge Caching in Practice" }).first().click();
    await page.waitForURL(`${gatewayUrl}/courses/${slug}`);
    expect(await page.locator("[data-description] strong").textContent()).toBe("caching");

    // The studio's list shows it published, with its learner figures.
    await page.goto(`${gatewayUrl}/studio`);
    const row = page.locator(`[data-course-id="${courseId}"]`);
    expect(await row.locator("[data-status]").textContent()).toBe("Published");
    expect(await row.locator("[data-figure=enrolled]").textContent()).toBe("0");
    expect(await row.locator("[data-figure=completion-rate]").textContent()).toBe("—");
    await checkAccessibility(page);
    await screenshot(page, "studio-course-list");
    expect(problems.pageErrors).toEqual([]);

    // A buyer pays for it (at the Stripe stand-in) and the lesson player plays the video the studio
    // uploaded: the bytes it is served are the author's file.
    const buyer = await registerAndLogin("studio-buyer");
    const checkout = await api<{ checkoutUrl: string }>("POST", `/api/payments/courses/${courseId}`, {
      token: buyer.tokens.accessToken,
    });
    expect(checkout.status).toBe(201);
    await stripe.completeCheckout(
      /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(checkout.body.checkoutUrl).pathname)?.[1] ?? "",
    );
    await expect
      .poll(async () => {
        const lessons = await api<{ lessons: { id: string; locked?: boolean }[] }>(
          "GET",
          `/api/courses/${courseId}/lessons`,
          { token: buyer.tokens.accessToken },
        );
        return lessons.body.lessons.find((lesson) => lesson.id === videoId)?.locked;
      }, ASYNC_EFFECTS)
      .toBe(false);
    const learner = await browser.newPage();
    await signInThroughSite(learner.page, buyer.email, `/learn/${slug}/${videoId}`);
    await videoLoaded(learner.page);
    const played = await videoState(learner.page);
    expect(played.error).toBeNull();
    const served = await fetch(played.src);
    expect(served.status).toBe(200);
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(readFileSync(VIDEO)));
    expect(learner.problems.pageErrors).toEqual([]);
  });
});

describe("archiving", () => {
  it("asks first, then takes the course out of the catalog; publishing again brings it back", async () => {
    const author = await accountWith(["instructor"], "studio-archive");
    const created = await api<{ id: string; slug: string }>("POST", "/api/courses", {
      token: author.token,
      body: { title: "Archive me", slug: uniqueSlug("archive"), summary: "Soon gone.", price: null },
    });
    const courseId = created.body.id;
    await api("POST", `/api/courses/${courseId}/lessons`, {
      token: author.token,
      body: { title: "Only lesson", kind: "text", bodyMarkdown: "Hi." },
    });
    expect((await api("POST", `/api/courses/${courseId}/publish`, { token: author.token })).status).toBe(200);

    const { page } = await signedInStudio(author, `/studio/courses/${courseId}/publish`);
    await page.getByRole("link", { name: "Archive course" }).click();
    await page.waitForURL(`${gatewayUrl}/studio/courses/${courseId}/publish?confirm=archive#confirm`);
    // Going back does nothing.
    await page.getByRole("link", { name: "Keep it published" }).click();
    expect((await readCourse(author, courseId)).status).toBe("published");

    await page.getByRole("link", { name: "Archive course" }).click();
    expect(await page.locator("[data-confirm=archive]").textContent()).toContain("Learners who have it keep it");
    expect(await submitForm(page, "Archive course")).toBe(303);
    expect(await page.locator("[data-state=archived]").count()).toBe(1);
    expect((await readCourse(author, courseId)).status).toBe("archived");
    expect(await page.locator("[data-publication-status]").getAttribute("data-publication-status")).toBe("archived");

    expect(await submitForm(page, "Publish again")).toBe(303);
    expect((await readCourse(author, courseId)).status).toBe("published");
  });
});
