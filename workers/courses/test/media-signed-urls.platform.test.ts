import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { LINK_PARAMS, mediaLinks } from "../src/media/media-links.ts";
import { course, enroll, fetchBytes, lesson, person, sourceBytes, uploadWhole } from "./media-fixtures.ts";

/**
 * Paid video in a browser's terms, through the whole stack (gateway → courses worker → local R2):
 * the lesson read hands the learner signed links, and a request carrying only such a link and a
 * Range — what a `<video>` element sends — gets 206 with the right bytes. Expired, altered and
 * other-user links are refused; the bearer-token path still works beside them.
 */
const SIZE = 600_000;
const video = sourceBytes(SIZE, 21);
const captions = new TextEncoder().encode("WEBVTT\n\n00:00.000 --> 00:01.500\nWelcome to the lesson.\n");

let author: Person;
let learner: Person;
let stranger: Person;
let courseId: string;
let lessonId: string;
let videoKey: string;

interface LessonAnswer {
  locked: boolean;
  mediaUrl: string | null;
  captions: { language: string; label: string; url: string }[];
  urlsExpireAt: string | null;
}

const readLesson = async (as: Person) => {
  const read = await api<LessonAnswer>("GET", `/api/courses/${courseId}/lessons/${lessonId}`, { token: as.token });
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body;
};

/** The stack's own MEDIA_URL_SECRET, where `npm start` keeps it (tools/dev-stack), to make a genuinely expired link. */
const stackSecret = () => readFileSync(join(dirname(inject("logDir")), "secrets", "media-url-secret"), "utf8").trim();

beforeAll(async () => {
  [author, learner, stranger] = await Promise.all([
    person("signed-author", "instructor"),
    person("signed-learner"),
    person("signed-stranger"),
  ]);
  courseId = await course(author.userId, "published");
  lessonId = await lesson(courseId, "video");
  await enroll(learner.userId, courseId);
  videoKey = (
    await uploadWhole(
      author.token,
      courseId,
      { fileName: "paid.mp4", contentType: "video/mp4", bytes: video },
      { lessonId },
    )
  ).objectKey;
  const track = await uploadWhole(author.token, courseId, {
    fileName: "en.vtt",
    contentType: "text/vtt",
    bytes: captions,
  });
  const captioned = await api("PATCH", `/api/courses/${courseId}/lessons/${lessonId}`, {
    token: author.token,
    body: { captions: [{ language: "en", label: "English", key: track.objectKey }] },
  });
  expect(captioned.status, JSON.stringify(captioned.body)).toBe(200);
});
afterAll(() => db.end());

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("a learner's <video> through a signed link", () => {
  it("the lesson read carries a signed video link and caption link for the learner, expiring in 15 to 20 minutes", async () => {
    const read = await readLesson(learner);
    const url = new URL(read.mediaUrl ?? "", "http://x");
    expect(url.searchParams.get(LINK_PARAMS.user)).toBe(learner.userId);
    expect(read.captions.map(({ language, label }) => ({ language, label }))).toEqual([
      { language: "en", label: "English" },
    ]);
    const minutes = (Date.parse(read.urlsExpireAt ?? "") - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14.5);
    expect(minutes).toBeLessThanOrEqual(20);
  });

  it.each([
    ["bytes=0-65535", 0, 65_535],
    ["bytes=500000-", 500_000, SIZE - 1],
    ["bytes=-4096", SIZE - 4096, SIZE - 1],
  ])("Range %s with no Authorization header: 206 with exactly those bytes", async (range, first, last) => {
    const { mediaUrl } = await readLesson(learner);
    // The session cookie a browser sends to its own origin does not matter to the link.
    const answer = await fetchBytes(mediaUrl ?? "", { headers: { range, cookie: "session=whatever" } });
    expect(answer.status).toBe(206);
    expect(answer.headers.get("content-range")).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(answer.headers.get("content-type")).toBe("video/mp4");
    expect(equal(answer.bytes, video.subarray(first, last + 1))).toBe(true);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(answer.headers.get("cache-control") ?? "")?.[1] ?? -1);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(20 * 60);
  });

  it("If-Range with the ETag keeps seeking cheap; a range past the end is 416", async () => {
    const { mediaUrl } = await readLesson(learner);
    const etag = (await fetchBytes(mediaUrl ?? "", { method: "HEAD" })).headers.get("etag") ?? "";
    const kept = await fetchBytes(mediaUrl ?? "", { headers: { range: "bytes=100-199", "if-range": etag } });
    expect(kept.status).toBe(206);
    expect(equal(kept.bytes, video.subarray(100, 200))).toBe(true);
    const past = await fetchBytes(mediaUrl ?? "", { headers: { range: `bytes=${SIZE}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${SIZE}`);
  });

  it("the caption link serves the WebVTT track to a <track> element", async () => {
    const { captions: tracks } = await readLesson(learner);
    const answer = await fetchBytes(tracks[0]?.url ?? "");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/vtt");
    expect(equal(answer.bytes, captions)).toBe(true);
  });
});

describe("links that are refused through the gateway", () => {
  const problemOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { detail?: string };

  it("an expired link (genuinely signed with the stack's secret): 403 saying it expired", async () => {
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const expired = await mediaLinks(stackSecret(), learner.userId, anHourAgo).urlFor(courseId, videoKey, "private");
    const answer = await fetchBytes(expired, { headers: { range: "bytes=0-99" } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(problemOf(answer.bytes).detail).toMatch(/expired at .+Read the lesson again/);
  });

  it("the learner's link with another user in it, or an altered signature: 403", async () => {
    const { mediaUrl } = await readLesson(learner);
    const otherUser = new URL(mediaUrl ?? "", "http://x");
    otherUser.searchParams.set(LINK_PARAMS.user, stranger.userId);
    const altered = new URL(mediaUrl ?? "", "http://x");
    altered.searchParams.set(LINK_PARAMS.signature, "B".repeat(43));
    for (const url of [otherUser, altered]) {
      const answer = await fetchBytes(`${url.pathname}${url.search}`, { headers: { range: "bytes=0-99" } });
      expect(answer.status).toBe(403);
      expect(problemOf(answer.bytes).detail).toMatch(/not valid/);
    }
  });

  it("someone without access gets no link to copy: the lesson is locked", async () => {
    expect(await readLesson(stranger)).toMatchObject({
      locked: true,
      mediaUrl: null,
      captions: [],
      urlsExpireAt: null,
    });
  });
});

describe("the header path beside it", () => {
  it("with the learner's bearer token and no link: 206 as before; without either: 401", async () => {
    const path = (await readLesson(learner)).mediaUrl?.split("?")[0] ?? "";
    const answer = await fetchBytes(path, { token: learner.token, headers: { range: "bytes=0-9" } });
    expect(answer.status).toBe(206);
    expect(equal(answer.bytes, video.subarray(0, 10))).toBe(true);
    expect((await fetchBytes(path, { token: stranger.token })).status).toBe(403);
    expect((await fetchBytes(path)).status).toBe(401);
  });
});
