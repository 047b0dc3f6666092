import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi, type MockInstance } from "vitest";
import type { RequestLogLine } from "@platform/http-kit";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { LINK_PARAMS, MAX_LINK_LIFETIME_SECONDS, mediaLinks } from "../src/media/media-links.ts";
import { draftCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";
import { localBucket, storedUpload } from "./media-local-bucket.ts";
import { MEDIA_URL_SECRET, mediaClient, patternBytes, sameBytes } from "./media-in-process.ts";

/**
 * Private media through signed links, in-process against a real PostgreSQL and workerd's local R2:
 * what a `<video>` element sends (no header, a Range) is served from the link alone; a link that
 * was altered, made for someone else or expired is refused; the header path works as before.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let r2: Awaited<ReturnType<typeof localBucket>>;
let bindings: Record<string, unknown>;
let courses: ReturnType<typeof inProcess>;
let fetchMedia: ReturnType<typeof mediaClient>;

const SIZE = 200_000;
const video = patternBytes(SIZE, 5);
const author = principal("instructor");
const learner = principal("learner");
const stranger = principal("learner");
let courseId: string;
let lessonId: string;
let objectKey: string;
let signedUrl: string;

interface LessonAnswer {
  id: string;
  locked: boolean;
  mediaUrl: string | null;
  urlsExpireAt: string | null;
}

async function lessonOf(as: typeof learner, id = lessonId, client = courses): Promise<LessonAnswer> {
  const read = await client.request<LessonAnswer>("GET", `/api/courses/${courseId}/lessons/${id}`, { as });
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body;
}

beforeAll(async () => {
  [cache, r2] = await Promise.all([localKv(), localBucket()]);
  bindings = { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv, MEDIA: r2.bucket, MEDIA_URL_SECRET };
  courses = inProcess(app, bindings);
  fetchMedia = mediaClient(bindings);

  const course = await draftCourse(courses, author);
  courseId = course.id;
  const lesson = await courses.request<{ id: string }>("POST", `/api/courses/${courseId}/lessons`, {
    as: author,
    body: { title: "The paid video", kind: "video" },
  });
  lessonId = lesson.body.id;
  objectKey = await storedUpload(pool, r2.bucket, {
    courseId,
    createdBy: author.userId,
    fileName: "lesson.mp4",
    contentType: "video/mp4",
    bytes: video,
  });
  await pool.query("update courses.lessons set media_key = $1 where id = $2", [objectKey, lessonId]);
  expect((await courses.request("POST", `/api/courses/${courseId}/publish`, { as: author })).status).toBe(200);
  expect((await courses.request("POST", `/api/courses/${courseId}/enroll`, { as: learner })).status).toBe(201);
  signedUrl = (await lessonOf(learner)).mediaUrl ?? "";
});

afterAll(async () => {
  await pool.end();
  await Promise.all([cache?.dispose(), r2?.dispose()]);
});

/** The same link with one of its query parameters (or the path) changed. */
function altered(url: string, change: (parsed: URL) => void): string {
  const parsed = new URL(url, "http://worker.internal");
  change(parsed);
  return `${parsed.pathname}${parsed.search}`;
}

const paramOf = (url: string, name: string) => new URL(url, "http://worker.internal").searchParams.get(name) ?? "";

describe("a signed link is what a <video> element needs: no header, ranges and all", () => {
  it("the lesson read hands the learner a signed link to its video", () => {
    expect(signedUrl).toMatch(
      new RegExp(`^/api/courses/${courseId}/media/.+/lesson\\.mp4\\?user=${learner.userId}&exp=\\d+&sig=[\\w-]{43}$`),
    );
  });

  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=150000-", 150_000, SIZE - 1],
    ["bytes=-1000", SIZE - 1000, SIZE - 1],
    [`bytes=${SIZE - 5}-${SIZE + 100}`, SIZE - 5, SIZE - 1],
  ])("%s: 206 with exactly those bytes, without any header but Range", async (range, first, last) => {
    const answer = await fetchMedia(signedUrl, { headers: { range } });
    expect(answer.status).toBe(206);
    expect(answer.headers.get("content-range")).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(answer.headers.get("content-length")).toBe(String(last - first + 1));
    expect(answer.headers.get("accept-ranges")).toBe("bytes");
    expect(sameBytes(answer.bytes, video.subarray(first, last + 1))).toBe(true);
  });

  it("no Range: 200 with the whole video; HEAD: its headers without a body", async () => {
    const whole = await fetchMedia(signedUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(sameBytes(whole.bytes, video)).toBe(true);
    const head = await fetchMedia(signedUrl, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(SIZE));
    expect(head.bytes.length).toBe(0);
  });

  it("If-Range with the current ETag keeps the range, with another sends the whole; a range past the end is 416", async () => {
    const etag = (await fetchMedia(signedUrl, { method: "HEAD" })).headers.get("etag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    const kept = await fetchMedia(signedUrl, { headers: { range: "bytes=10-19", "if-range": etag } });
    expect(kept.status).toBe(206);
    expect(sameBytes(kept.bytes, video.subarray(10, 20))).toBe(true);
    const stale = await fetchMedia(signedUrl, { headers: { range: "bytes=10-19", "if-range": '"other"' } });
    expect(stale.status).toBe(200);
    expect(stale.bytes.length).toBe(SIZE);
    const past = await fetchMedia(signedUrl, { headers: { range: `bytes=${SIZE}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${SIZE}`);
    expect(past.headers.get("content-type")).toBe("application/problem+json");
    expect((await fetchMedia(signedUrl, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("is kept by the browser only, and no longer than the link lives", async () => {
    // What is left of the link's life, read before the request: the worker reads its clock after,
    // so its max-age can only be the same or smaller (read after, a second boundary in between made it look 1 s over).
    const remaining = Number(paramOf(signedUrl, LINK_PARAMS.expires)) - Math.floor(Date.now() / 1000);
    const answer = await fetchMedia(signedUrl, { headers: { range: "bytes=0-0" } });
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(answer.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(remaining);
    expect(maxAge).toBeLessThanOrEqual(MAX_LINK_LIFETIME_SECONDS);
  });
});

describe("links that do not hold", () => {
  it.each([
    ["made for another user", (url: URL) => url.searchParams.set(LINK_PARAMS.user, stranger.userId)],
    [
      "with a later expiry",
      (url: URL) =>
        url.searchParams.set(LINK_PARAMS.expires, String(Number(url.searchParams.get(LINK_PARAMS.expires)) + 300)),
    ],
    ["with an altered signature", (url: URL) => url.searchParams.set(LINK_PARAMS.signature, `${"A".repeat(42)}A`)],
    [
      "with a signature cut short",
      (url: URL) =>
        url.searchParams.set(LINK_PARAMS.signature, (url.searchParams.get(LINK_PARAMS.signature) ?? "").slice(0, 20)),
    ],
  ])("a link %s: 403 problem+json, no bytes", async (_what, change) => {
    const answer = await fetchMedia(altered(signedUrl, change), { headers: { range: "bytes=0-99" } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.problem.type).toBe("/problems/forbidden");
    expect(answer.problem.detail).toMatch(/not valid/);
  });

  it("another media's signature on this media's path (even the same course's): 403", async () => {
    const other = await storedUpload(pool, r2.bucket, {
      courseId,
      createdBy: author.userId,
      fileName: "other.mp4",
      contentType: "video/mp4",
      bytes: patternBytes(1000, 9),
    });
    const otherLesson = await courses.request<{ id: string }>("POST", `/api/courses/${courseId}/lessons`, {
      as: author,
      body: { title: "Another video", kind: "video" },
    });
    await pool.query("update courses.lessons set media_key = $1 where id = $2", [other, otherLesson.body.id]);
    const otherUrl = (await lessonOf(learner, otherLesson.body.id)).mediaUrl ?? "";
    expect(otherUrl).toContain("other.mp4?");
    const swapped = `${otherUrl.split("?")[0]}?${signedUrl.split("?")[1]}`;
    expect((await fetchMedia(swapped)).status).toBe(403);
    // The genuine one plays.
    expect(sameBytes((await fetchMedia(otherUrl)).bytes, patternBytes(1000, 9))).toBe(true);
  });

  it("an expired link: 403 that says it expired and when, so the player reads the lesson again", async () => {
    const halfAnHourAgo = new Date(Date.now() - 30 * 60 * 1000);
    const expired = await mediaLinks(MEDIA_URL_SECRET, learner.userId, halfAnHourAgo).urlFor(
      courseId,
      objectKey,
      "private",
    );
    const answer = await fetchMedia(expired, { headers: { range: "bytes=0-99" } });
    expect(answer.status).toBe(403);
    expect(answer.problem.detail).toMatch(/^This media link expired at \d{4}-\d\d-\d\dT.+Read the lesson again/);
    expect(answer.headers.get("content-range")).toBeNull();
  });

  it("a link made under a secret the worker does not hold: 403", async () => {
    const foreign = await mediaLinks(
      "some-other-deployment-secret-0123456789abcdef",
      learner.userId,
      new Date(),
    ).urlFor(courseId, objectKey, "private");
    expect((await fetchMedia(foreign)).status).toBe(403);
  });

  it.each([
    [`?${LINK_PARAMS.signature}=abc`, ["query.exp", "query.user"]],
    [`?${LINK_PARAMS.user}=not-a-uuid&${LINK_PARAMS.expires}=1&${LINK_PARAMS.signature}=abc`, ["query.user"]],
    [
      `?${LINK_PARAMS.user}=${crypto.randomUUID()}&${LINK_PARAMS.expires}=1e9&${LINK_PARAMS.signature}=abc`,
      ["query.exp"],
    ],
    [`?${LINK_PARAMS.user}=${crypto.randomUUID()}&${LINK_PARAMS.expires}=1&${LINK_PARAMS.signature}=`, ["query.sig"]],
  ])("an incomplete or malformed link (%s): 400 naming the fields", async (query, fields) => {
    const answer = await fetchMedia(`${signedUrl.split("?")[0]}${query}`);
    expect(answer.status).toBe(400);
    expect(answer.problem.type).toBe("/problems/validation-failed");
    expect(answer.problem.errors?.map((error) => error.path).sort()).toEqual(fields);
  });
});

describe("a link is judged alone", () => {
  it("with someone else's header, a valid link still plays; with the learner's own header, a forged link is still refused", async () => {
    expect((await fetchMedia(signedUrl, { as: stranger })).status).toBe(200);
    const forged = altered(signedUrl, (url) => url.searchParams.set(LINK_PARAMS.user, stranger.userId));
    expect((await fetchMedia(forged, { as: learner })).status).toBe(403);
  });

  it("without a link, the header path is as before: the learner with access 200 (private, an hour), a stranger 403, nobody 401", async () => {
    const path = signedUrl.split("?")[0] ?? "";
    const own = await fetchMedia(path, { as: learner, headers: { range: "bytes=0-9" } });
    expect(own.status).toBe(206);
    expect(own.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(sameBytes(own.bytes, video.subarray(0, 10))).toBe(true);
    expect((await fetchMedia(path, { as: stranger })).status).toBe(403);
    expect((await fetchMedia(path)).status).toBe(401);
  });
});

describe("what a valid signature does and does not stand in for", () => {
  it("a revoked grant: links already handed out play until they expire; the header is refused at once, and re-reads lock the lesson", async () => {
    const leaver = principal("learner");
    expect((await courses.request("POST", `/api/courses/${courseId}/enroll`, { as: leaver })).status).toBe(201);
    const handedOut = (await lessonOf(leaver)).mediaUrl ?? "";
    await pool.query("update courses.enrollments set revoked_at = now() where user_id = $1", [leaver.userId]);
    expect((await fetchMedia(handedOut, { headers: { range: "bytes=0-9" } })).status).toBe(206);
    expect((await fetchMedia(handedOut.split("?")[0] ?? "", { as: leaver })).status).toBe(403);
    const reread = await lessonOf(leaver);
    expect(reread).toMatchObject({ locked: true, mediaUrl: null, urlsExpireAt: null });
  });

  it("an archived course keeps playing through links, as it does for its learners with the header", async () => {
    await pool.query("update courses.courses set status = 'archived' where id = $1", [courseId]);
    try {
      expect((await fetchMedia(signedUrl, { headers: { range: "bytes=0-9" } })).status).toBe(206);
    } finally {
      await pool.query("update courses.courses set status = 'published' where id = $1", [courseId]);
    }
  });

  it("media the course no longer uses (its video replaced, or its lesson deleted): 404 through a still-valid link", async () => {
    const lesson = await courses.request<{ id: string }>("POST", `/api/courses/${courseId}/lessons`, {
      as: author,
      body: { title: "Soon replaced", kind: "video" },
    });
    const first = await storedUpload(pool, r2.bucket, {
      courseId,
      createdBy: author.userId,
      fileName: "take-one.mp4",
      contentType: "video/mp4",
      bytes: patternBytes(500, 3),
    });
    await pool.query("update courses.lessons set media_key = $1 where id = $2", [first, lesson.body.id]);
    const link = (await lessonOf(learner, lesson.body.id)).mediaUrl ?? "";
    expect((await fetchMedia(link)).status).toBe(200);
    await pool.query("update courses.lessons set media_key = null where id = $1", [lesson.body.id]);
    expect((await fetchMedia(link)).status).toBe(404);
    await pool.query("update courses.lessons set media_key = $1 where id = $2", [first, lesson.body.id]);
    expect(
      (await courses.request("DELETE", `/api/courses/${courseId}/lessons/${lesson.body.id}`, { as: author })).status,
    ).toBe(204);
    const gone = await fetchMedia(link);
    expect(gone.status).toBe(404);
    expect(gone.problem.type).toBe("/problems/not-found");
  });
});

describe("MEDIA_URL_SECRET", () => {
  const NEW_SECRET = "routes-test-rotated-media-secret-fedcba9876543210";

  it("rotation: with `new,old`, links signed before play and new links are signed with the new secret; with `new` alone, old links are refused", async () => {
    const rotated = { ...bindings, MEDIA_URL_SECRET: `${NEW_SECRET},${MEDIA_URL_SECRET}` };
    const afterRotation = mediaClient(rotated);
    expect((await afterRotation(signedUrl, { headers: { range: "bytes=0-9" } })).status).toBe(206);
    const fresh = (await lessonOf(learner, lessonId, inProcess(app, rotated))).mediaUrl ?? "";
    expect(paramOf(fresh, LINK_PARAMS.signature)).not.toBe(paramOf(signedUrl, LINK_PARAMS.signature));
    const newOnly = mediaClient({ ...bindings, MEDIA_URL_SECRET: NEW_SECRET });
    expect((await newOnly(fresh)).status).toBe(200);
    expect((await newOnly(signedUrl)).status).toBe(403);
  });

  it("missing: a link answers 503; a lesson still reads, with a plain path and no expiry (logged as an error)", async () => {
    const unconfigured = { ...bindings, MEDIA_URL_SECRET: undefined };
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const answer = await mediaClient(unconfigured)(signedUrl);
      expect(answer.status).toBe(503);
      expect(answer.problem.detail).toBe("Signed media links are not configured here.");
      const lesson = await lessonOf(learner, lessonId, inProcess(app, unconfigured));
      expect(lesson.mediaUrl).toBe(signedUrl.split("?")[0]);
      expect(lesson.urlsExpireAt).toBeNull();
      expect(consoleError.mock.calls.some(([line]) => String(line).includes("MEDIA_URL_SECRET is not set."))).toBe(
        true,
      );
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe("what a signed request asks of PostgreSQL", () => {
  let consoleLog: MockInstance<typeof console.log>;
  afterEach(() => consoleLog?.mockRestore());

  async function databaseUse(url: string): Promise<RequestLogLine["db"]> {
    consoleLog = vi.spyOn(console, "log");
    await fetchMedia(url, { headers: { range: "bytes=0-0" } });
    const lines = consoleLog.mock.calls
      .map(([line]) =>
        typeof line === "string" && line.startsWith("{") ? (JSON.parse(line) as RequestLogLine) : undefined,
      )
      .filter((line) => line?.msg === "request");
    consoleLog.mockRestore();
    expect(lines).toHaveLength(1);
    return lines[0]?.db;
  }

  it("a genuine link: one statement (the course and the media's use), no session; a forged one: no query at all", async () => {
    expect(await databaseUse(signedUrl)).toEqual({ queries: 1, sessions: 0 });
    const forged = altered(signedUrl, (url) => url.searchParams.set(LINK_PARAMS.user, stranger.userId));
    expect(await databaseUse(forged)).toEqual({ queries: 0, sessions: 0 });
  });
});
