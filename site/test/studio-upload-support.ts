import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../test/support/api.ts";
import { uniqueSlug } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";

/**
 * What the studio uploader's browser tests share: authors who sign in through the site (so their
 * email is known) and hold an API token for checking what the API stored; draft courses with
 * lessons; source files of random bytes on disk (Chromium reads a chosen file from its path, as
 * it would a real one) with their hashes; and the stored bytes read back.
 */

export interface Author {
  readonly email: string;
  readonly userId: string;
  /** An API token carrying the role, for reading back what the site did. */
  readonly token: string;
}

/** A new account with `roles`, signed in again through the API so its token carries them. */
export async function accountWith(roles: readonly string[], tag: string): Promise<Author> {
  const session = await registerAndLogin(tag);
  await db.query("update auth.accounts set roles = $2::auth.role[] where id = $1", [session.userId, roles]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { email: session.email, userId: session.userId, token: login.body.accessToken };
}

async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

export interface DraftCourse {
  readonly id: string;
  readonly slug: string;
  /** Lesson ids by the name the test gave them. */
  readonly lessons: Readonly<Record<string, string>>;
}

/** A free draft course with the given lessons (name → kind), in that order. */
export async function draftCourse(
  author: Author,
  lessons: Readonly<Record<string, "video" | "file" | "text">>,
): Promise<DraftCourse> {
  const course = await ok(
    "create course",
    api<{ id: string; slug: string }>("POST", "/api/courses", {
      token: author.token,
      body: {
        title: "Uploads from the browser",
        slug: uniqueSlug("uploads"),
        summary: "A course whose media is uploaded in the studio.",
        language: "en",
        price: null,
      },
    }),
    201,
  );
  const ids: Record<string, string> = {};
  for (const [name, kind] of Object.entries(lessons)) {
    const lesson = await ok(
      `add lesson ${name}`,
      api<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, {
        token: author.token,
        body: { title: `Lesson ${name}`, kind, ...(kind === "text" && { bodyMarkdown: "Some *text*." }) },
      }),
      201,
    );
    ids[name] = lesson.id;
  }
  return { id: course.id, slug: course.slug, lessons: ids };
}

export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Files written for a test file, removed with `removeSourceFiles`. */
const folder = mkdtempSync(join(tmpdir(), "studio-upload-"));

/** `size` random bytes on disk under `name`, and their hash. */
export function sourceFile(name: string, size: number): SourceFile {
  const bytes = randomBytes(size);
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return { path, size, sha256: sha256(bytes) };
}

/** A small text file (a WebVTT track) on disk. */
export function textFile(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

export function removeSourceFiles(): void {
  rmSync(folder, { recursive: true, force: true });
}

interface LessonRead {
  mediaUrl: string | null;
  captions: { language: string; label: string; key: string; url: string }[];
}

/** The lesson as its author reads it from the API (media and caption links signed for them). */
export function readLesson(author: Author, courseId: string, lessonId: string) {
  return ok(
    "read lesson",
    api<LessonRead>("GET", `/api/courses/${courseId}/lessons/${lessonId}`, { token: author.token }),
  );
}

/** The bytes behind a media link (signed links need no token), with their hash. */
export async function storedHash(mediaUrl: string): Promise<{ status: number; size: number; sha256: string }> {
  const response = await fetch(new URL(mediaUrl, gatewayUrl));
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, size: bytes.length, sha256: sha256(bytes) };
}

/** The uploader of one slot on the media page. */
export function uploader(page: Page, purpose: "video" | "file" | "caption" | "cover", lessonId?: string) {
  const lesson = lessonId ? `[data-lesson-id="${lessonId}"]` : "";
  return page.locator(`[data-media-upload][data-purpose="${purpose}"]${lesson}`);
}

/** Part numbers the page asked the site to store, in the order asked, from the moment this is called. */
export function partRequests(page: Page): number[] {
  const seen: number[] = [];
  page.on("request", (request) => {
    const match = /\/studio\/uploads\/[^/]+\/[^/]+\/parts\/(\d+)$/.exec(new URL(request.url()).pathname);
    if (match && request.method() === "PUT") seen.push(Number(match[1]));
  });
  return seen;
}

/**
 * Everything the uploader's status and stats lines said, collected in the page (a MutationObserver),
 * so a test can check what the author was shown along the way without racing the updates.
 */
export async function recordUploaderText(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = [];
    (window as unknown as { uploaderSaid: string[] }).uploaderSaid = said;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const line = target?.closest("[data-upload-status], [data-upload-stats]");
        if (line?.textContent) said.push(line.textContent);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export function uploaderSaid(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { uploaderSaid?: string[] }).uploaderSaid ?? []);
}

/** Chromium's own upload throttle (DevTools' network conditions), so a transfer lasts long enough to watch. */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send("Network.enable");
  await session.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

export const studioMediaPath = (courseId: string) => `/studio/uploads/${courseId}`;
