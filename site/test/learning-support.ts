import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { uploadWhole } from "../../workers/courses/test/media-fixtures.ts";
import { api, gatewayUrl, registerAndLogin } from "../../test/support/api.ts";
import { uniqueSlug, type CourseBody } from "../../test/support/courses.ts";
import type { Person } from "../../test/support/people.ts";

/**
 * What the learner-page browser tests share: a course with a real video, captions and a download,
 * learners signed in through the site's own form, and the player's address.
 */

/**
 * A real, playable and seekable video: 40 s of WebM (VP8, 128×72, one frame a second, a keyframe
 * every 10, with cues), showing a running counter of the second it is at. Made once with Debian's
 * ffmpeg and kept, because Chromium must decode it and no test should need ffmpeg:
 * `ffmpeg -f lavfi -i testsrc=size=128x72:rate=1:duration=40 -c:v libvpx -g 10 -crf 50 -b:v 8k -an lesson.webm`
 */
export const LESSON_VIDEO = new Uint8Array(readFileSync(new URL("./learning-fixtures/lesson.webm", import.meta.url)));
export const LESSON_VIDEO_SECONDS = 40;

const CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:05.000\nWelcome to the edge.\n\n00:05.000 --> 00:40.000\nKeep watching.\n";
const WORKBOOK = "Exercises for the first lesson.\n";

export interface LearningCourse {
  readonly course: CourseBody;
  /** In course order: a video (with captions and a download), a text lesson, and a text lesson that is a free preview. */
  readonly lessons: readonly [string, string, string];
  /** The free preview (the last lesson). */
  readonly preview: string;
}

async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * A published course (free, or at a price) of three lessons: a 40-second video with English
 * captions and a workbook to download, a text lesson, and a text lesson that is a free preview.
 */
export async function learningCourse(
  author: Person,
  options: { title?: string; price?: { amountMinor: number; currency: string } | null } = {},
): Promise<LearningCourse> {
  const token = author.token;
  const course = await ok(
    "create",
    api<CourseBody>("POST", "/api/courses", {
      token,
      body: {
        title: options.title ?? "Learning at the edge",
        slug: uniqueSlug("learn"),
        summary: "A short course to learn from.",
        language: "en",
        price: options.price ?? null,
      },
    }),
    201,
  );
  const add = (body: Record<string, unknown>) =>
    ok("add lesson", api<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, { token, body }), 201);
  const video = await add({ title: "Watch: why the edge", kind: "video", durationSeconds: LESSON_VIDEO_SECONDS });
  const reading = await add({ title: "Read: routes", kind: "text", bodyMarkdown: "# Routes\n\nA route **answers**." });
  const preview = await add({ title: "Free taster", kind: "text", bodyMarkdown: "Open to everyone.", isPreview: true });

  await uploadWhole(
    token,
    course.id,
    { fileName: "lesson.webm", contentType: "video/webm", bytes: LESSON_VIDEO },
    { lessonId: video.id },
  );
  const captions = await uploadWhole(token, course.id, {
    fileName: "captions-en.vtt",
    contentType: "text/vtt",
    bytes: new TextEncoder().encode(CAPTIONS),
  });
  const workbook = await uploadWhole(token, course.id, {
    fileName: "workbook.txt",
    contentType: "text/plain",
    bytes: new TextEncoder().encode(WORKBOOK),
  });
  await ok(
    "attach captions and download",
    api("PATCH", `/api/courses/${course.id}/lessons/${video.id}`, {
      token,
      body: {
        captions: [{ language: "en", label: "English", key: captions.objectKey }],
        downloads: [{ key: workbook.objectKey }],
      },
    }),
  );
  const published = await ok("publish", api<CourseBody>("POST", `/api/courses/${course.id}/publish`, { token }));
  return { course: published, lessons: [video.id, reading.id, preview.id], preview: preview.id };
}

/** Joins a free course (201; 200 when already in it). */
export async function enroll(learnerToken: string, courseId: string): Promise<void> {
  const joined = await api("POST", `/api/courses/${courseId}/enroll`, { token: learnerToken });
  if (joined.status !== 201 && joined.status !== 200) {
    throw new Error(`enroll answered ${joined.status}: ${JSON.stringify(joined.body)}`);
  }
}

export const lessonUrl = (course: CourseBody, lessonId: string) => `${gatewayUrl}/learn/${course.slug}/${lessonId}`;

/** A new learner, registered through the API (their email, id and tokens for API checks). */
export const newLearner = (tag: string) => registerAndLogin(tag);

export { signInThroughSite } from "./site-forms.ts";

/** Waits until the page's live socket is open and caught up (the scripts mark `<html data-live="open">`). */
export async function liveOpen(page: Page): Promise<void> {
  await page.locator("html[data-live=open]").waitFor({ state: "attached", timeout: 20_000 });
}

/** The video element's state, as the page's own player sees it. */
export function videoState(page: Page) {
  return page.locator("video[data-player]").evaluate((element) => {
    const video = element as HTMLVideoElement;
    return {
      readyState: video.readyState,
      currentTime: video.currentTime,
      duration: video.duration,
      paused: video.paused,
      error: video.error?.code ?? null,
      src: video.currentSrc,
    };
  });
}

/** Waits for the video to have loaded its metadata (so `duration` and seeking work). */
export async function videoLoaded(page: Page): Promise<void> {
  await expect
    .poll(async () => (await videoState(page)).readyState, { timeout: 20_000, message: "the video loads" })
    .toBeGreaterThanOrEqual(1);
}
