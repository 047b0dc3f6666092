import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, registerAndLogin } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";
import {
  accountWith,
  draftCourse,
  readLesson,
  removeSourceFiles,
  studioMediaPath,
  textFile,
  uploader,
  type Author,
  type DraftCourse,
} from "./studio-upload-support.ts";

/**
 * Caption tracks from the studio to the learner's player: the author uploads a real video and
 * WebVTT files in three languages through the media page, removes one after confirming, publishes,
 * and a learner's lesson page offers the two left as `<track>`s that load the very text uploaded.
 */
const browser = useBrowser();
const VIDEO = fileURLToPath(new URL("./learning-fixtures/lesson.webm", import.meta.url));
const vtt = (line: string) => `WEBVTT\n\n00:00.000 --> 00:05.000\n${line}\n`;
const TRACKS = [
  { language: "en", label: "English", text: vtt("Welcome to the edge.") },
  { language: "de", label: "Deutsch", text: vtt("Willkommen am Edge.") },
  { language: "fr", label: "Français", text: vtt("Bienvenue à la périphérie.") },
] as const;

let author: Author;
let course: DraftCourse;

beforeAll(async () => {
  author = await accountWith(["instructor"], "caption-author");
  course = await draftCourse(author, { watch: "video" });
});
afterAll(async () => {
  removeSourceFiles();
  await db.end();
});

describe("caption tracks", () => {
  it("are uploaded per language in the studio, removed after confirming, and offered by the learner's player", async () => {
    const lessonId = course.lessons.watch ?? "";
    const { page, problems } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));

    const video = uploader(page, "video", lessonId);
    await video.locator("[data-upload-input]").setInputFiles(VIDEO);
    await expect.poll(() => video.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");

    const captions = uploader(page, "caption", lessonId);
    const list = page.locator(`[data-caption-tracks][data-lesson-id="${lessonId}"] [data-caption-list] > li`);
    for (const [index, track] of TRACKS.entries()) {
      await captions.getByLabel("Language").fill(track.language);
      await captions.getByLabel("Label", { exact: true }).fill(track.label);
      await captions
        .locator("[data-upload-input]")
        .setInputFiles(textFile(`captions-${track.language}.vtt`, track.text));
      await expect.poll(() => captions.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      await expect.poll(() => list.count()).toBe(index + 1);
    }
    expect(await list.allTextContents()).toEqual([
      expect.stringMatching(/^English \(en\)/),
      expect.stringMatching(/^Deutsch \(de\)/),
      expect.stringMatching(/^Français \(fr\)/),
    ]);
    await checkAccessibility(page);

    // Without language and label the file is not sent at all.
    await captions.getByLabel("Language").fill("");
    await captions.locator("[data-upload-input]").setInputFiles(textFile("orphan.vtt", vtt("Nobody's.")));
    expect(await captions.locator("[data-upload-error]").textContent()).toBe(
      "Give the track's language and label first.",
    );
    expect(await captions.getAttribute("data-state")).toBe("done");

    // Removing asks first; the page comes back saying it is done.
    await list.filter({ hasText: "Français" }).locator("summary").click();
    expect(await list.filter({ hasText: "Français" }).locator("[data-caption-confirm]").textContent()).toBe(
      "Remove the Français track? Learners no longer see it.",
    );
    expect(await submitForm(page, "Yes, remove it")).toBe(303);
    await page.locator("[data-state=caption-removed]").waitFor();
    expect(await list.allTextContents()).toEqual([
      expect.stringMatching(/^English \(en\)/),
      expect.stringMatching(/^Deutsch \(de\)/),
    ]);
    await screenshot(page, "studio-upload-captions");

    const stored = await readLesson(author, course.id, lessonId);
    expect(stored.captions.map(({ language, label }) => ({ language, label }))).toEqual([
      { language: "en", label: "English" },
      { language: "de", label: "Deutsch" },
    ]);
    expect(stored.captions.every((track) => track.key.endsWith(`captions-${track.language}.vtt`))).toBe(true);
    expect(problems.pageErrors).toEqual([]);

    // Published, and opened by a learner: both tracks, signed for them, with the text uploaded.
    const published = await api("POST", `/api/courses/${course.id}/publish`, { token: author.token });
    expect(published.status).toBe(200);
    const learner = await registerAndLogin("caption-learner");
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: learner.tokens.accessToken })).status).toBe(
      201,
    );
    const watching = await browser.newPage();
    await signInThroughSite(watching.page, learner.email, `/learn/${course.slug}/${lessonId}`);
    const tracks = watching.page.locator("video[data-player] track");
    expect(await tracks.count()).toBe(2);
    for (const [index, expected] of TRACKS.slice(0, 2).entries()) {
      const track = tracks.nth(index);
      expect(await track.getAttribute("srclang")).toBe(expected.language);
      expect(await track.getAttribute("label")).toBe(expected.label);
      const src = (await track.getAttribute("src")) ?? "";
      expect(src).toMatch(/[?&]sig=/);
      const served = await watching.context.request.get(`${gatewayUrl}${src}`);
      expect(served.status()).toBe(200);
      expect(await served.text()).toBe(expected.text);
    }
    expect(watching.problems.pageErrors).toEqual([]);
  });
});
