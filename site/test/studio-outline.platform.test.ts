import type { Page } from "playwright-core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";
import {
  accountWith,
  addSection,
  addTextLesson,
  apiCourse,
  focused,
  lessonOrder,
  readContent,
  type Account,
} from "./studio-support.ts";

/**
 * The outline editor in Chromium: sections and lessons reordered with the keyboard alone (Move up
 * / Move down are form buttons, and the button used keeps the focus after the page comes back),
 * across section edges, and by dragging; sections added, renamed, moved and deleted after a
 * confirmation; a lesson's free preview switched; a lesson deleted after a confirmation. The
 * course's lesson order always follows the order the editor shows (what learners read).
 */
const browser = useBrowser();
afterAll(() => db.end());

let author: Account;
let courseId: string;
let intro: string;
let basics: string;
let advanced: string;

beforeEach(async () => {
  author ??= await accountWith(["instructor"], "studio-outline");
  courseId = (await apiCourse(author, { title: "Reordering" })).id;
  basics = await addSection(author, courseId, "Basics");
  advanced = await addSection(author, courseId, "Advanced");
  intro = await addTextLesson(author, courseId, "Intro", basics);
  await addTextLesson(author, courseId, "Routes", basics);
  await addTextLesson(author, courseId, "Caching", advanced);
});

/**
 * Presses a key that submits a form (Enter on a focused button) and waits for the page that comes
 * back: its POST answered 303, then the new document committed and loaded (the address may be the
 * one the page already had, so it cannot be waited for).
 */
async function pressToSubmit(page: Page, key: string): Promise<void> {
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
  );
  const committed = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  await page.keyboard.press(key);
  expect((await answered).status()).toBe(303);
  await committed;
  await page.waitForLoadState("load");
}

async function openOutline() {
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, author.email, `/studio/courses/${courseId}/outline`);
  return watched;
}

describe("reordering with the keyboard", () => {
  it("moves a lesson down, across into the next section, and back, keeping the focus on the button used", async () => {
    const { page } = await openOutline();
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Intro", "Basics"],
      ["Routes", "Basics"],
      ["Caching", "Advanced"],
    ]);
    // The last lesson cannot go further down.
    expect(await page.getByRole("button", { name: "Move down “Caching”" }).isDisabled()).toBe(true);

    // Tab to the button and press Enter: no mouse, and no script needed for the move itself.
    await page.getByRole("button", { name: "Move down “Intro”" }).focus();
    await pressToSubmit(page, "Enter");
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Routes", "Basics"],
      ["Intro", "Basics"],
      ["Caching", "Advanced"],
    ]);
    expect(await page.locator("[data-state=moved]").textContent()).toBe("Moved.");
    expect(await focused(page)).toMatchObject({ text: "Move down “Intro”", inLesson: intro });

    // Past the last of its section, it goes to the start of the next one.
    await pressToSubmit(page, "Enter");
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Routes", "Basics"],
      ["Intro", "Advanced"],
      ["Caching", "Advanced"],
    ]);
    expect(await focused(page)).toMatchObject({ text: "Move down “Intro”", inSection: advanced });
    const rendered = await page
      .locator(`[data-group][data-section-id="${advanced}"] [data-lesson-title]`)
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.lessonTitle));
    expect(rendered).toEqual(["Intro", "Caching"]);

    // And up again, back to the end of the section before.
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).text).toBe("Move up “Intro”");
    await pressToSubmit(page, "Enter");
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Routes", "Basics"],
      ["Intro", "Basics"],
      ["Caching", "Advanced"],
    ]);
    expect(await focused(page)).toMatchObject({ text: "Move up “Intro”", inSection: basics });

    // The first lesson of the first section goes up out of every section, read first; from there it
    // can go no further up, and the focus moves to its other button.
    await page.getByRole("button", { name: "Move up “Routes”" }).focus();
    await pressToSubmit(page, "Enter");
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Routes", null],
      ["Intro", "Basics"],
      ["Caching", "Advanced"],
    ]);
    expect(await page.getByRole("heading", { name: "Not in a section" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Move up “Routes”" }).isDisabled()).toBe(true);
    expect(await focused(page)).toMatchObject({ text: "Move down “Routes”", inSection: "" });
    await checkAccessibility(page);
    await screenshot(page, "studio-outline");
  });

  it("moves a section up, and its lessons move with it in the course's order", async () => {
    const { page } = await openOutline();
    await page.getByRole("button", { name: "Move up “Advanced”" }).focus();
    await pressToSubmit(page, "Enter");
    const content = await readContent(author, courseId);
    expect([...content.sections].sort((a, b) => a.position - b.position).map((s) => s.title)).toEqual([
      "Advanced",
      "Basics",
    ]);
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Caching", "Advanced"],
      ["Intro", "Basics"],
      ["Routes", "Basics"],
    ]);
    // It is now first: the focus moved to the button that can still act.
    expect((await focused(page)).text).toBe("Move down “Advanced”");
  });
});

describe("reordering by dragging", () => {
  it("drops a lesson into another section, at the place it was dropped", async () => {
    const { page } = await openOutline();
    const row = (title: string) => page.locator(`li[data-lesson-title="${title}"]`);
    expect(await row("Caching").getAttribute("draggable")).toBe("true");
    await Promise.all([
      page.waitForURL(/done=moved/),
      row("Caching").dragTo(row("Intro"), { targetPosition: { x: 20, y: 2 } }),
    ]);
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Caching", "Basics"],
      ["Intro", "Basics"],
      ["Routes", "Basics"],
    ]);
  });
});

describe("sections", () => {
  it("adds, renames and (after a confirmation) deletes a section; its lessons stay, in none", async () => {
    const { page } = await openOutline();
    // An empty title is the API's refusal, shown beside the field.
    expect(await submitForm(page, "Add section")).toBe(400);
    expect(await page.locator("#field-section-title-error").isVisible()).toBe(true);

    await page.getByLabel("Section title").fill("Extras");
    expect(await submitForm(page, "Add section")).toBe(303);
    expect(await page.locator("[data-state=sectionAdded]").count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Extras" }).count()).toBe(1);

    await page.getByText("Rename “Basics”").click();
    await page.getByLabel("Title of the section “Basics”").fill("Foundations");
    expect(await submitForm(page, "Rename")).toBe(303);
    expect((await readContent(author, courseId)).sections.map((s) => s.title).sort()).toEqual([
      "Advanced",
      "Extras",
      "Foundations",
    ]);

    await page.getByRole("link", { name: "Delete “Foundations”" }).click();
    expect(await page.locator("[data-confirm=delete-section]").textContent()).toContain("Its lessons stay");
    expect((await readContent(author, courseId)).sections).toHaveLength(3);
    expect(await submitForm(page, "Delete section")).toBe(303);
    expect(await page.locator("[data-state=sectionDeleted]").count()).toBe(1);
    // The lessons of the deleted section are now in none, read first.
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Intro", null],
      ["Routes", null],
      ["Caching", "Advanced"],
    ]);
    expect(await page.getByRole("heading", { name: "Not in a section" }).count()).toBe(1);
  });
});

describe("lessons", () => {
  it("switches a free preview, and deletes a lesson only after a confirmation", async () => {
    const { page } = await openOutline();
    expect(await submitForm(page, "Make it a free preview “Routes”")).toBe(303);
    const routes = (await readContent(author, courseId)).lessons.find((lesson) => lesson.title === "Routes");
    expect(routes?.isPreview).toBe(true);
    expect(await page.locator('li[data-lesson-title="Routes"] [data-lesson-preview]').count()).toBe(1);

    // The link loads the outline again with the confirmation: wait for it rather than look at once.
    await page.getByRole("link", { name: "Delete “Routes”" }).click();
    await page.locator("[data-confirm=delete-lesson]").waitFor({ state: "visible" });
    await page.getByRole("link", { name: "Keep it" }).click();
    await page.locator("[data-confirm=delete-lesson]").waitFor({ state: "detached" });
    expect((await readContent(author, courseId)).lessons).toHaveLength(3);

    await page.getByRole("link", { name: "Delete “Routes”" }).click();
    await page.locator("[data-confirm=delete-lesson]").waitFor({ state: "visible" });
    expect(await submitForm(page, "Delete lesson")).toBe(303);
    expect(await page.locator("[data-state=lessonDeleted]").count()).toBe(1);
    expect((await lessonOrder(author, courseId)).map(([title]) => title)).toEqual(["Intro", "Caching"]);
    expect(page.url()).toBe(`${gatewayUrl}/studio/courses/${courseId}/outline?done=lessonDeleted`);
  });
});

describe("the lesson editor", () => {
  it("saves a text lesson's title, text, free preview and section, and keeps the course's reading order", async () => {
    const { page } = await openOutline();
    await page.getByRole("link", { name: "Intro", exact: true }).click();
    await page.waitForURL(`${gatewayUrl}/studio/courses/${courseId}/lessons/${intro}`);
    // An existing lesson's kind is shown, not offered.
    expect(await page.locator("[data-lesson-kind=text]").count()).toBe(1);
    expect(await page.getByRole("radio").count()).toBe(0);
    expect(await page.getByLabel("Text", { exact: true }).inputValue()).toBe("About Intro.");

    await page.getByLabel("Title").fill("Introduction");
    await page.getByLabel("Text", { exact: true }).fill("## Welcome\n\nRead *this* first.");
    await expect
      .poll(() => page.locator("[data-markdown-preview] h2").textContent(), { timeout: 20_000, interval: 150 })
      .toBe("Welcome");
    await page.getByLabel("Free preview").check();
    await page.getByLabel("Section").selectOption({ label: "Advanced" });
    expect(await submitForm(page, "Save lesson")).toBe(303);
    expect(await page.locator("[data-state=saved]").count()).toBe(1);

    const saved = (await readContent(author, courseId)).lessons.find((lesson) => lesson.id === intro);
    expect(saved).toMatchObject({
      title: "Introduction",
      markdown: "## Welcome\n\nRead *this* first.",
      isPreview: true,
      sectionId: advanced,
    });
    // Moved into "Advanced", it is read at that section's end, after "Caching".
    expect(await lessonOrder(author, courseId)).toEqual([
      ["Routes", "Basics"],
      ["Caching", "Advanced"],
      ["Introduction", "Advanced"],
    ]);

    // Saving again without a change changes nothing, and says so.
    expect(await submitForm(page, "Save lesson")).toBe(303);
    expect(await page.locator("[data-state=unchanged]").count()).toBe(1);
    await checkAccessibility(page);
  });

  it("refuses an empty title with the API's reason beside it, and deletes the lesson after a confirmation", async () => {
    const { page } = await openOutline();
    await page.goto(`${gatewayUrl}/studio/courses/${courseId}/lessons/${intro}`);
    await page.getByLabel("Title").fill("");
    expect(await submitForm(page, "Save lesson")).toBe(400);
    expect(await page.getByLabel("Title").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#field-title-error").isVisible()).toBe(true);
    expect((await readContent(author, courseId)).lessons.find((lesson) => lesson.id === intro)?.title).toBe("Intro");

    await page.getByRole("link", { name: "Delete lesson" }).click();
    expect(await page.locator("[data-confirm=delete-lesson]").textContent()).toContain("Delete the lesson “Intro”?");
    expect(await submitForm(page, "Delete lesson")).toBe(303);
    expect(page.url()).toBe(`${gatewayUrl}/studio/courses/${courseId}/outline?done=lessonDeleted`);
    expect((await readContent(author, courseId)).lessons.map((lesson) => lesson.title)).toEqual(["Routes", "Caching"]);
  });
});
