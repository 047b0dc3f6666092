import type { Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { signInThroughSite } from "./site-forms.ts";
import {
  accountWith,
  draftCourse,
  partRequests,
  readLesson,
  recordUploaderText,
  removeSourceFiles,
  sourceFile,
  storedHash,
  studioMediaPath,
  throttleUploads,
  uploader,
  uploaderSaid,
  type Author,
  type DraftCourse,
} from "./studio-upload-support.ts";

/**
 * The studio's uploader in Chromium against the whole stack: a file of tens of megabytes goes in
 * 10 MiB parts, several at once, through the site's part route into the courses worker and R2;
 * it survives a reload in the middle (the parts stored are not sent again), a part that fails is
 * sent again without anyone clicking, pausing stops the parts and resuming finishes them, and the
 * bytes stored are the bytes chosen (SHA-256 of what the media route serves).
 */
const browser = useBrowser();
const MiB = 1024 * 1024;
const PART_ROUTE = /\/studio\/uploads\/[^/]+\/[^/]+\/parts\/(\d+)$/;

let author: Author;
let course: DraftCourse;

beforeAll(async () => {
  author = await accountWith(["instructor"], "upload-author");
  course = await draftCourse(author, {
    intro: "video",
    resumed: "video",
    retried: "file",
    paused: "video",
    discarded: "video",
  });
});
afterAll(async () => {
  removeSourceFiles();
  await db.end();
});

const partNumberOf = (url: string) => Number(PART_ROUTE.exec(new URL(url).pathname)?.[1]);

async function uploadStatus(uploadId: string) {
  const read = await api<{ status: string; storedParts: { partNumber: number }[]; partCount: number }>(
    "GET",
    `/api/courses/${course.id}/uploads/${uploadId}`,
    { token: author.token },
  );
  expect(read.status).toBe(200);
  return read.body;
}

async function expectStoredEqual(lessonId: string, source: { size: number; sha256: string }) {
  const lesson = await readLesson(author, course.id, lessonId);
  expect(lesson.mediaUrl).toBeTruthy();
  const stored = await storedHash(lesson.mediaUrl ?? "");
  expect(stored).toEqual({ status: 200, size: source.size, sha256: source.sha256 });
}

describe("uploading a lesson's video from the studio", () => {
  it("sends a 42 MiB file in parts, resumes after a reload without resending stored parts, and stores the same bytes", async () => {
    // 5 parts: four of 10 MiB and a last one of 2 MiB and a bit.
    const source = sourceFile("lecture.mp4", 42 * MiB + 12_345);
    const lessonId = course.lessons.resumed ?? "";
    const { page, problems } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));
    await checkAccessibility(page);

    // Parts 1 and 2 go through; later parts are held until the page is reloaded (as if the
    // laptop lid closed with them on the wire).
    const held: Route[] = [];
    await page.route(PART_ROUTE, async (route) => {
      if (partNumberOf(route.request().url()) <= 2) await route.continue();
      else held.push(route);
    });
    const widget = uploader(page, "video", lessonId);
    const started = page.waitForResponse((response) => response.url().endsWith("/start"));
    await widget.locator("[data-upload-input]").setInputFiles(source.path);
    const start = await started;
    expect(start.status()).toBe(201);
    const upload = (await start.json()) as { id: string; partCount: number; partSizeBytes: number };
    expect(upload).toMatchObject({ partCount: 5, partSizeBytes: 10 * MiB });

    await expect
      .poll(async () => (await uploadStatus(upload.id)).storedParts.map((part) => part.partNumber), {
        timeout: 30_000,
        message: "parts 1 and 2 stored",
      })
      .toEqual([1, 2]);
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(3);
    // Meanwhile the page shows what is going on: several parts at once, and the progress so far.
    expect(await widget.getAttribute("data-state")).toBe("uploading");
    await expect.poll(() => widget.getAttribute("data-parts-in-flight")).toBe("3");
    await expect
      .poll(() => widget.locator("[data-upload-stats]").textContent())
      .toMatch(/^21 MB of 44\.1 MB \(48%\) · .*3 parts at once$/);
    expect(await widget.locator("progress").evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(20 * MiB);

    // Held parts fail (the uploader would send them again: those are held too), then the reload.
    await Promise.all(held.map((route) => route.abort("connectionreset").catch(() => {})));
    await page.reload();
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await Promise.all(held.map((route) => route.abort().catch(() => {})));
    expect((await uploadStatus(upload.id)).storedParts.map((part) => part.partNumber)).toEqual([1, 2]);

    // After the reload the page offers to continue the interrupted upload.
    const notice = widget.locator("[data-upload-interrupted]");
    await notice.waitFor({ state: "visible" });
    expect(await notice.textContent()).toMatch(/lecture\.mp4 \(44\.\d MB\) stopped at 48%/);
    expect(await widget.getAttribute("data-interrupted")).toBe(upload.id);

    // The same file again: only parts 3 to 5 are sent, into the same upload.
    await throttleUploads(page, 12 * 1000 * 1000);
    await recordUploaderText(page);
    const sent = partRequests(page);
    let startedAgain = 0;
    page.on("request", (request) => {
      if (request.url().endsWith("/start")) startedAgain += 1;
    });
    await widget.locator("[data-upload-input]").setInputFiles(source.path);
    await expect.poll(() => widget.getAttribute("data-state"), { timeout: 60_000 }).toBe("done");
    expect([...sent].sort()).toEqual([3, 4, 5]);
    expect(startedAgain).toBe(0);
    expect(await uploadStatus(upload.id)).toMatchObject({ status: "completed" });
    const said = await uploaderSaid(page);
    expect(
      said.some((line) => /\/s\b/.test(line)),
      "a speed was shown",
    ).toBe(true);
    expect(
      said.some((line) => /left/.test(line)),
      "a time left was shown",
    ).toBe(true);
    expect(await widget.locator("[data-upload-status]").textContent()).toBe("Uploaded.");
    expect(await widget.locator("[data-upload-current]").textContent()).toContain("lecture.mp4");

    await expectStoredEqual(lessonId, source);
    // Finished uploads are forgotten: nothing to resume is left behind.
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("studio-upload:"))),
    ).toEqual([]);
    await checkAccessibility(page);
    await screenshot(page, "studio-upload-done");
    expect(problems.pageErrors).toEqual([]);
  });

  it("sends a part that failed again without anyone clicking: a 503 on one part, a dropped connection on another", async () => {
    const source = sourceFile("handout.zip", 12 * MiB + 777);
    const lessonId = course.lessons.retried ?? "";
    const { page, problems } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));
    const attempts = new Map<number, number>();
    await page.route(PART_ROUTE, async (route) => {
      const part = partNumberOf(route.request().url());
      const attempt = (attempts.get(part) ?? 0) + 1;
      attempts.set(part, attempt);
      if (attempt === 1 && part === 1) {
        await route.fulfill({
          status: 503,
          contentType: "application/problem+json",
          body: JSON.stringify({ status: 503, detail: "Storage is busy." }),
        });
      } else if (attempt === 1 && part === 2) {
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await recordUploaderText(page);
    const widget = uploader(page, "file", lessonId);
    await widget.locator("[data-upload-input]").setInputFiles(source.path);
    await expect.poll(() => widget.getAttribute("data-state"), { timeout: 60_000 }).toBe("done");

    expect(Object.fromEntries(attempts)).toEqual({ 1: 2, 2: 2 });
    const said = await uploaderSaid(page);
    for (const part of [1, 2]) {
      const retried = new RegExp(`^Part ${part} did not arrive\\. Trying again in \\d+ s \\(attempt 2 of 5\\)\\.$`);
      expect(
        said.some((line) => retried.test(line)),
        `the author was told part ${part} is sent again`,
      ).toBe(true);
    }
    expect(await widget.locator("[data-upload-error]").isHidden()).toBe(true);
    await expectStoredEqual(lessonId, source);
    expect(problems.pageErrors).toEqual([]);
  });

  it("stops sending while paused and finishes the upload when resumed", async () => {
    const source = sourceFile("pausable.webm", 31 * MiB);
    const lessonId = course.lessons.paused ?? "";
    const { page, problems } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));
    // Slow enough to press Pause in the middle.
    await throttleUploads(page, 6 * 1000 * 1000);
    const widget = uploader(page, "video", lessonId);
    const started = page.waitForResponse((response) => response.url().endsWith("/start"));
    await widget.locator("[data-upload-input]").setInputFiles(source.path);
    const upload = (await (await started).json()) as { id: string };
    await expect.poll(async () => Number(await widget.getAttribute("data-sent-bytes"))).toBeGreaterThan(0);

    await widget.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => widget.getAttribute("data-state")).toBe("paused");
    expect(await widget.locator("[data-upload-status]").textContent()).toMatch(/^Paused\./);
    expect(await widget.getByRole("button", { name: "Pause" }).isHidden()).toBe(true);
    const sentSincePause = partRequests(page);
    const storedAtPause = (await uploadStatus(upload.id)).storedParts.length;
    await page.waitForTimeout(1500);
    expect(sentSincePause, "no part is sent while paused").toEqual([]);
    expect(await uploadStatus(upload.id)).toMatchObject({ status: "uploading" });
    expect((await uploadStatus(upload.id)).storedParts.length).toBe(storedAtPause);
    expect(storedAtPause).toBeLessThan(4);

    await widget.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => widget.getAttribute("data-state"), { timeout: 60_000 }).toBe("done");
    expect(sentSincePause.length).toBeGreaterThanOrEqual(4 - storedAtPause);
    await expectStoredEqual(lessonId, source);
    expect(problems.pageErrors).toEqual([]);
  });

  it("offers to discard an interrupted upload after a reload, and discarding it (confirmed) aborts it", async () => {
    const source = sourceFile("abandoned.mov", 21 * MiB);
    const lessonId = course.lessons.discarded ?? "";
    const { page } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));
    // Part 1 goes through; the others never leave the browser.
    await page.route(PART_ROUTE, async (route) => {
      if (partNumberOf(route.request().url()) === 1) await route.continue();
      else await route.abort("connectionreset");
    });
    const widget = uploader(page, "video", lessonId);
    const started = page.waitForResponse((response) => response.url().endsWith("/start"));
    await widget.locator("[data-upload-input]").setInputFiles(source.path);
    const upload = (await (await started).json()) as { id: string };
    await expect.poll(async () => (await uploadStatus(upload.id)).storedParts.length, { timeout: 30_000 }).toBe(1);
    await page.reload();
    await page.unrouteAll({ behavior: "ignoreErrors" });

    const notice = widget.locator("[data-upload-interrupted]");
    await notice.waitFor({ state: "visible" });
    await notice.getByRole("button", { name: "Discard it" }).click();
    // Nothing is discarded before the author confirms; "Keep uploading" keeps it.
    const confirm = widget.locator("[data-upload-confirm]");
    await confirm.waitFor({ state: "visible" });
    await confirm.getByRole("button", { name: "Keep uploading" }).click();
    expect(await confirm.isHidden()).toBe(true);
    expect(await uploadStatus(upload.id)).toMatchObject({ status: "uploading" });
    await notice.getByRole("button", { name: "Discard it" }).click();
    await confirm.getByRole("button", { name: "Yes, cancel it" }).click();
    await notice.waitFor({ state: "hidden" });
    expect(await uploadStatus(upload.id)).toMatchObject({ status: "aborted" });
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("studio-upload:"))),
    ).toEqual([]);
    // And after another reload nothing is offered any more.
    await page.reload();
    await widget.waitFor();
    expect(await notice.isHidden()).toBe(true);
  });
});
