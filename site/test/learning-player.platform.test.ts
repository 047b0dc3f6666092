import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { instructor, type Person } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import {
  LESSON_VIDEO_SECONDS,
  enroll,
  learningCourse,
  lessonUrl,
  newLearner,
  signInThroughSite,
  videoLoaded,
  videoState,
  type LearningCourse,
} from "./learning-support.ts";

/**
 * The video lesson in Chromium, playing a real WebM from R2 through a link signed for the learner:
 * the position is saved while watching and the video resumes there on another device; a link the
 * media route refuses mid-way (as it does once a signed link expired) is replaced by a fresh one
 * and playback carries on at the same second; captions and downloads come signed too.
 */
const browser = useBrowser();

let author: Person;
let course: LearningCourse;

beforeAll(async () => {
  author = await instructor("learning-player-author");
  course = await learningCourse(author, { title: "Player course" });
});
afterAll(() => db.end());

interface CourseProgressBody {
  lessons: { lessonId: string; state: string; positionSeconds: number | null }[];
}

async function savedPosition(token: string, lessonId: string): Promise<number | null> {
  const progress = await api<CourseProgressBody>("GET", `/api/progress/courses/${course.course.id}`, { token });
  return progress.body.lessons?.find((lesson) => lesson.lessonId === lessonId)?.positionSeconds ?? null;
}

describe("the video lesson", () => {
  it("saves the position while watching and resumes there in a second browser context", async () => {
    const learner = await newLearner("learning-resume");
    await enroll(learner.tokens.accessToken, course.course.id);
    const [video] = course.lessons;
    const path = new URL(lessonUrl(course.course, video)).pathname;

    const first = await browser.newPage();
    await signInThroughSite(first.page, learner.email, path);
    await videoLoaded(first.page);
    const loaded = await videoState(first.page);
    expect(loaded.duration).toBeCloseTo(LESSON_VIDEO_SECONDS, 0);
    expect(loaded.src).toMatch(/\/api\/courses\/[0-9a-f-]+\/media\/.+[?&]sig=/);

    // Watch a little, jump ahead, and pause there: the pause saves the position.
    await first.page.locator("video[data-player]").evaluate(async (element) => {
      const player = element as HTMLVideoElement;
      player.muted = true;
      await player.play();
    });
    await expect.poll(async () => (await videoState(first.page)).currentTime, ASYNC_EFFECTS).toBeGreaterThan(0.5);
    await first.page.locator("video[data-player]").evaluate(async (element) => {
      const player = element as HTMLVideoElement;
      const seeked = new Promise((resolve) => player.addEventListener("seeked", resolve, { once: true }));
      player.currentTime = 23;
      await seeked;
      player.pause();
    });
    const pausedAt = (await videoState(first.page)).currentTime;
    expect(pausedAt).toBeGreaterThanOrEqual(23);
    await expect
      .poll(() => savedPosition(learner.tokens.accessToken, video), { ...ASYNC_EFFECTS, message: "position saved" })
      .toBeCloseTo(pausedAt, 0);
    await checkAccessibility(first.page);

    // Another device: the same lesson starts where the first one paused.
    const second = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInThroughSite(second.page, learner.email, path);
    await videoLoaded(second.page);
    await expect.poll(async () => (await videoState(second.page)).currentTime, ASYNC_EFFECTS).toBeCloseTo(pausedAt, 0);
    expect(await second.page.locator("[data-player-note]").textContent()).toContain("Resuming at 0:23");
    // On a phone the outline starts folded, below the lesson.
    expect(await second.page.locator("details[data-outline]").getAttribute("open")).toBeNull();
    await screenshot(second.page, "learning-lesson-resumed");

    for (const page of [first, second]) expect(page.problems.pageErrors).toEqual([]);
  });

  it("replaces a media link the server refuses with a fresh one and carries on at the same second", async () => {
    const learner = await newLearner("learning-expired-link");
    await enroll(learner.tokens.accessToken, course.course.id);
    const [video] = course.lessons;
    const saved = await api("POST", `/api/progress/lessons/${video}`, {
      token: learner.tokens.accessToken,
      body: { event: "position", positionSeconds: 31 },
    });
    expect(saved.status).toBe(200);

    const { page, problems } = await browser.newPage();
    await signInThroughSite(page, learner.email, "/learning");
    // The first media request is answered as the media route answers an expired signed link.
    let refused = 0;
    await page.route(/\/api\/courses\/[0-9a-f-]+\/media\/.+\.webm\?/, async (route) => {
      if (refused === 0) {
        refused += 1;
        await route.fulfill({
          status: 403,
          contentType: "application/problem+json",
          body: JSON.stringify({ status: 403, detail: "This media link expired. Read the lesson again." }),
        });
        return;
      }
      await route.continue();
    });
    const freshLinks = page.waitForResponse((response) => response.url().includes("/learn/media-url?"));
    await page.goto(lessonUrl(course.course, video));

    const fresh = await freshLinks;
    expect(fresh.status()).toBe(200);
    const body = (await fresh.json()) as { mediaUrl: string; captions: { url: string }[]; urlsExpireAt: string };
    expect(body.mediaUrl).toMatch(/[?&]sig=/);
    expect(body.captions).toHaveLength(1);
    expect(Date.parse(body.urlsExpireAt)).toBeGreaterThan(Date.now());
    await videoLoaded(page);
    await expect.poll(async () => (await videoState(page)).currentTime, ASYNC_EFFECTS).toBeCloseTo(31, 0);
    expect((await videoState(page)).error).toBeNull();
    expect(refused).toBe(1);
    // The refused load is the browser's console error; nothing else went wrong.
    expect(problems.consoleErrors.filter((line) => !line.includes("403"))).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  it("completes the lesson when the video plays to its end", async () => {
    const learner = await newLearner("learning-ended");
    await enroll(learner.tokens.accessToken, course.course.id);
    const [video] = course.lessons;
    const { page } = await browser.newPage();
    await signInThroughSite(page, learner.email, new URL(lessonUrl(course.course, video)).pathname);
    await videoLoaded(page);

    await page.locator("video[data-player]").evaluate(async (element) => {
      const player = element as HTMLVideoElement;
      player.muted = true;
      player.currentTime = player.duration - 1.5;
      await player.play();
    });
    await page.locator("[data-completed-badge]").waitFor({ state: "visible", timeout: ASYNC_EFFECTS.timeout });
    expect(await page.locator(`[data-outline] li[data-lesson-id="${video}"]`).getAttribute("data-state")).toBe(
      "completed",
    );
    const progress = await api<CourseProgressBody>("GET", `/api/progress/courses/${course.course.id}`, {
      token: learner.tokens.accessToken,
    });
    expect(progress.body.lessons.find((lesson) => lesson.lessonId === video)?.state).toBe("completed");
  });

  it("offers the author's captions as a track and the download as a link, both signed for the learner", async () => {
    const learner = await newLearner("learning-captions");
    await enroll(learner.tokens.accessToken, course.course.id);
    const [video] = course.lessons;
    const { page, context } = await browser.newPage();
    await signInThroughSite(page, learner.email, new URL(lessonUrl(course.course, video)).pathname);

    const track = page.locator("video[data-player] track");
    expect(await track.getAttribute("srclang")).toBe("en");
    expect(await track.getAttribute("label")).toBe("English");
    const trackUrl = (await track.getAttribute("src")) ?? "";
    expect(trackUrl).toMatch(/[?&]sig=/);
    const download = page.locator("[data-downloads] a");
    expect(await download.getAttribute("download")).toBe("workbook.txt");
    const downloadUrl = (await download.getAttribute("href")) ?? "";

    // The links work as they are (no header), from the learner's browser…
    const caption = await context.request.get(`${gatewayUrl}${trackUrl}`);
    expect(caption.status()).toBe(200);
    expect(caption.headers()["content-type"]).toMatch(/^text\/vtt/);
    expect(await caption.text()).toContain("Welcome to the edge.");
    const workbook = await context.request.get(`${gatewayUrl}${downloadUrl}`);
    expect(await workbook.text()).toBe("Exercises for the first lesson.\n");
    // … and the text track loads in the player itself.
    await page.locator("video[data-player]").evaluate((element) => {
      const textTrack = (element as HTMLVideoElement).textTracks[0];
      if (textTrack) textTrack.mode = "showing";
    });
    await expect
      .poll(() =>
        page.locator("video[data-player] track").evaluate((element) => (element as HTMLTrackElement).readyState),
      )
      .toBe(2);
    // Signed for this learner: with the signature altered, the media route refuses it. A middle
    // character: the last one of a 32-byte base64url signature also carries 2 padding bits, so
    // changing it may leave the decoded bytes (the signature) the same.
    const forged = trackUrl.replace(
      /sig=([^&]+)/,
      (_, sig: string) => `sig=${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`,
    );
    expect((await context.request.get(`${gatewayUrl}${forged}`)).status()).toBe(403);
  });
});
