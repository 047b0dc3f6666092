import type { APIRequestContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress, registerAndLogin } from "../../test/support/api.ts";
import { useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { signInThroughSite } from "./site-forms.ts";
import { accountWith, draftCourse, studioMediaPath, type Author, type DraftCourse } from "./studio-upload-support.ts";

/**
 * Who may use the uploader's site routes, and what they refuse: the API decides (another
 * instructor is refused every step of someone else's upload, and sees no uploader on the page),
 * the site refuses the signed-out, cross-site requests, and malformed ones, always as RFC 9457
 * problems, and the gateway refuses a part without a declared length.
 */
const browser = useBrowser();
const MiB = 1024 * 1024;

let author: Author;
let course: DraftCourse;
/** An upload of the author's, started through the API, that the others try to touch. */
let uploadId: string;

beforeAll(async () => {
  author = await accountWith(["instructor"], "refusals-author");
  course = await draftCourse(author, { clip: "video" });
  const started = await api<{ id: string }>("POST", `/api/courses/${course.id}/uploads`, {
    token: author.token,
    body: { fileName: "clip.mp4", contentType: "video/mp4", sizeBytes: 12 * MiB },
  });
  expect(started.status).toBe(201);
  uploadId = started.body.id;
});
afterAll(() => db.end());

const uploadsPath = (rest = "") => `${gatewayUrl}/studio/uploads/${course.id}${rest}`;
/** The site's own origin: a browser sends it with every PUT, POST and DELETE. */
const sameOrigin = { origin: gatewayUrl };

async function problemOf(response: Awaited<ReturnType<APIRequestContext["fetch"]>>) {
  expect(response.headers()["content-type"]).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; detail?: string; errors?: { path: string }[] };
}

async function storedParts(): Promise<number> {
  const read = await api<{ status: string; storedParts: unknown[] }>(
    "GET",
    `/api/courses/${course.id}/uploads/${uploadId}`,
    { token: author.token },
  );
  expect(read.body.status).toBe("uploading");
  return read.body.storedParts.length;
}

describe("the uploader's site routes", () => {
  it("refuse another instructor every step of the author's upload, and show them no uploader", async () => {
    const other = await accountWith(["instructor"], "refusals-other");
    const { page, context } = await browser.newPage();
    const answer = page.waitForResponse((response) => response.url().endsWith(studioMediaPath(course.id)));
    await signInThroughSite(page, other.email, "/");
    await page.goto(`${gatewayUrl}${studioMediaPath(course.id)}`);
    // The course is a draft: to anyone but its author (and admins) it does not exist.
    expect((await answer).status()).toBe(404);
    expect(await page.locator("[data-state=refused-404]").textContent()).toContain("There is no such course.");
    expect(await page.locator("[data-media-upload]").count()).toBe(0);

    // Every step is the API's to refuse: the course's author (or an admin) only.
    const request = context.request;
    const start = await request.post(uploadsPath("/start"), {
      headers: sameOrigin,
      data: { fileName: "mine.mp4", contentType: "video/mp4", sizeBytes: 1024, purpose: "lesson" },
    });
    const part = await request.put(uploadsPath(`/${uploadId}/parts/1`), {
      headers: { ...sameOrigin, "content-type": "application/octet-stream" },
      data: Buffer.alloc(10 * MiB),
    });
    const status = await request.get(uploadsPath(`/${uploadId}`));
    const complete = await request.post(uploadsPath(`/${uploadId}/complete`), { headers: sameOrigin, data: {} });
    const abort = await request.delete(uploadsPath(`/${uploadId}`), { headers: sameOrigin });
    expect([start, part, status, complete, abort].map((answer) => answer.status())).toEqual([403, 403, 403, 403, 403]);
    expect((await problemOf(part)).detail).toBeTruthy();
    // The caption route reads the lesson first, and a draft's lessons are the author's to read.
    const caption = await request.post(uploadsPath(`/captions/${course.lessons.clip}`), {
      headers: sameOrigin,
      data: { key: `courses/${course.id}/x/en.vtt`, language: "en", label: "English" },
    });
    expect(caption.status()).toBe(404);
    expect(await storedParts()).toBe(0);

    // A published course can be read by anyone, but only its author may change its media.
    const published = await draftCourse(author, { reading: "text" });
    expect((await api("POST", `/api/courses/${published.id}/publish`, { token: author.token })).status).toBe(200);
    const shown = await page.goto(`${gatewayUrl}${studioMediaPath(published.id)}`);
    expect(shown?.status()).toBe(403);
    expect(await page.locator("[data-state=refused-403]").textContent()).toContain(
      "Only the course's author or an admin can change its media.",
    );
    expect(await page.locator("[data-media-upload]").count()).toBe(0);
    const startThere = await request.post(`${gatewayUrl}/studio/uploads/${published.id}/start`, {
      headers: sameOrigin,
      data: { fileName: "mine.mp4", contentType: "video/mp4", sizeBytes: 1024, purpose: "lesson" },
    });
    expect(startThere.status()).toBe(403);
    expect((await problemOf(startThere)).status).toBe(403);
  });

  it("refuse the signed-out (401), and send them to sign in from the page", async () => {
    const address = newClientAddress();
    const part = await fetch(uploadsPath(`/${uploadId}/parts/1`), {
      method: "PUT",
      headers: { ...sameOrigin, "cf-connecting-ip": address, "content-type": "application/octet-stream" },
      body: new Uint8Array(10 * MiB),
    });
    expect(part.status).toBe(401);
    expect(part.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const start = await fetch(uploadsPath("/start"), {
      method: "POST",
      headers: { ...sameOrigin, "cf-connecting-ip": address, "content-type": "application/json" },
      body: JSON.stringify({ fileName: "a.mp4", contentType: "video/mp4", sizeBytes: 10 }),
    });
    expect(start.status).toBe(401);
    const page = await fetch(uploadsPath(), { redirect: "manual", headers: { "cf-connecting-ip": address } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(`/signin?returnTo=${encodeURIComponent(studioMediaPath(course.id))}`);
    expect(await storedParts()).toBe(0);
  });

  it("refuse the author's own requests when they come from another site, or are malformed", async () => {
    const { page, context } = await browser.newPage();
    await signInThroughSite(page, author.email, studioMediaPath(course.id));
    const request = context.request;

    // (A small body: the middleware refuses without reading it, and a large one still on its way
    // would have the connection closed under it.)
    const crossSite = await request.put(uploadsPath(`/${uploadId}/parts/1`), {
      headers: { origin: "https://evil.example", "content-type": "application/octet-stream" },
      data: Buffer.alloc(16),
    });
    expect(crossSite.status()).toBe(403);
    expect((await problemOf(crossSite)).detail).toMatch(/another site/);

    const noSuchPart = await request.put(uploadsPath(`/${uploadId}/parts/0`), {
      headers: sameOrigin,
      data: Buffer.alloc(16),
    });
    expect(noSuchPart.status()).toBe(400);
    expect((await problemOf(noSuchPart)).errors?.map((error) => error.path)).toEqual(["param.partNumber"]);
    const notAnUpload = await request.get(uploadsPath("/not-an-id"));
    expect(notAnUpload.status()).toBe(400);
    expect((await problemOf(notAnUpload)).errors?.map((error) => error.path)).toEqual(["param.uploadId"]);

    // The API checks a part's length before storing a byte: part 1 of 12 MiB is 10 MiB exactly.
    const short = await request.put(uploadsPath(`/${uploadId}/parts/1`), {
      headers: { ...sameOrigin, "content-type": "application/octet-stream" },
      data: Buffer.alloc(1000),
    });
    expect(short.status()).toBe(400);
    expect((await problemOf(short)).detail).toBe("Part 1 must be exactly 10485760 bytes; this one declares 1000.");
    const beyond = await request.put(uploadsPath(`/${uploadId}/parts/3`), {
      headers: { ...sameOrigin, "content-type": "application/octet-stream" },
      data: Buffer.alloc(16),
    });
    expect(beyond.status()).toBe(400);
    expect((await problemOf(beyond)).detail).toBe("This upload has parts 1 to 2; there is no part 3.");

    // A part without a declared length is refused by the gateway before the site reads any of it.
    const cookies = (await context.cookies(gatewayUrl)).map(({ name, value }) => `${name}=${value}`).join("; ");
    const chunked = await fetch(uploadsPath(`/${uploadId}/parts/2`), {
      method: "PUT",
      headers: { ...sameOrigin, cookie: cookies, "cf-connecting-ip": newClientAddress() },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(1024));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);

    const html = await request.post(uploadsPath("/start"), {
      headers: sameOrigin,
      data: { fileName: "page.html", contentType: "text/html", sizeBytes: 100, purpose: "lesson" },
    });
    expect(html.status()).toBe(415);
    expect((await problemOf(html)).detail).toMatch(/^text\/html cannot be uploaded\./);
    const notJson = await request.post(uploadsPath("/start"), {
      headers: { ...sameOrigin, "content-type": "text/plain" },
      data: "fileName=a.mp4",
    });
    expect(notJson.status()).toBe(415);
    const array = await request.post(uploadsPath("/start"), { headers: sameOrigin, data: [1, 2] });
    expect(array.status()).toBe(400);
    const incomplete = await request.post(uploadsPath(`/captions/${course.lessons.clip}`), {
      headers: sameOrigin,
      data: { language: "en" },
    });
    expect(incomplete.status()).toBe(400);
    expect((await problemOf(incomplete)).errors?.map((error) => error.path)).toEqual(["json.key", "json.label"]);
    // A key that is no completed WebVTT upload of this course: the API says which.
    const forged = await request.post(uploadsPath(`/captions/${course.lessons.clip}`), {
      headers: sameOrigin,
      data: { key: `courses/${course.id}/${uploadId}/clip.mp4`, language: "en", label: "English" },
    });
    expect(forged.status()).toBe(422);
    expect(await storedParts()).toBe(0);
  });

  it("show a learner who is not the author no uploader", async () => {
    const learner = await registerAndLogin("refusals-learner");
    const { page } = await browser.newPage();
    await signInThroughSite(page, learner.email, studioMediaPath(course.id));
    expect(await page.locator("[data-state=refused-404]").count()).toBe(1);
    expect(await page.locator("[data-media-upload]").count()).toBe(0);
  });
});
