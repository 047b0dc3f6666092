import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { course, enroll, fetchBytes, lesson, person, sourceBytes, uploadWhole } from "./media-fixtures.ts";

/**
 * Media served from R2 through gateway → courses worker: byte ranges for seeking, validators and
 * cache headers, and who may fetch what. A published course holds a cover, a free-preview
 * video, a paid lesson's PDF and an upload attached to nothing; a draft holds a preview video.
 */
const SIZE = 300_000;
const video = sourceBytes(SIZE, 11);

let author: Person;
let otherInstructor: Person;
let admin: Person;
let learner: Person;
let enrolled: Person;
let published: string;
let draft: string;
const url = { cover: "", preview: "", paid: "", unattached: "", draftPreview: "" };

beforeAll(async () => {
  [author, otherInstructor, admin, learner, enrolled] = await Promise.all([
    person("serve-author", "instructor"),
    person("serve-other", "instructor"),
    person("serve-admin", "admin"),
    person("serve-learner"),
    person("serve-enrolled"),
  ]);
  published = await course(author.userId, "published");
  draft = await course(author.userId, "draft");
  await enroll(enrolled.userId, published);
  const [previewLesson, paidLesson, draftLesson] = await Promise.all([
    lesson(published, "video", true),
    lesson(published, "file", false),
    lesson(draft, "video", true),
  ]);
  const mp4 = { fileName: "preview.mp4", contentType: "video/mp4", bytes: video };
  url.cover = (
    await uploadWhole(
      author.token,
      published,
      { fileName: "cover.webp", contentType: "image/webp", bytes: sourceBytes(900, 2), purpose: "cover" },
      { purpose: "cover" },
    )
  ).mediaUrl;
  url.preview = (await uploadWhole(author.token, published, mp4, { lessonId: previewLesson })).mediaUrl;
  url.paid = (
    await uploadWhole(
      author.token,
      published,
      { fileName: "workbook.pdf", contentType: "application/pdf", bytes: sourceBytes(5000, 3) },
      { lessonId: paidLesson },
    )
  ).mediaUrl;
  url.unattached = (
    await uploadWhole(author.token, published, {
      fileName: "spare.mp4",
      contentType: "video/mp4",
      bytes: sourceBytes(700, 4),
    })
  ).mediaUrl;
  url.draftPreview = (await uploadWhole(author.token, draft, mp4, { lessonId: draftLesson })).mediaUrl;
});
afterAll(() => db.end());

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("byte ranges (seeking)", () => {
  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=1000-", 1000, SIZE - 1],
    ["bytes=-500", SIZE - 500, SIZE - 1],
    [`bytes=${SIZE - 10}-${SIZE + 1000}`, SIZE - 10, SIZE - 1],
  ])("%s: 206 with exactly those bytes and their Content-Range", async (range, first, last) => {
    const response = await fetchBytes(url.preview, { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(response.headers.get("content-length")).toBe(String(last - first + 1));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(equal(response.bytes, video.subarray(first, last + 1))).toBe(true);
  });

  it("a range past the end: 416 with the size in Content-Range", async () => {
    const response = await fetchBytes(url.preview, { headers: { range: `bytes=${SIZE}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
  });

  it("no range, or several: 200 with the whole object", async () => {
    const variants: Record<string, string>[] = [{}, { range: "bytes=0-1,5-6" }];
    for (const headers of variants) {
      const response = await fetchBytes(url.preview, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get("accept-ranges")).toBe("bytes");
      expect(equal(response.bytes, video)).toBe(true);
    }
  });

  it("If-Range with the current ETag keeps the range; with another, the whole object", async () => {
    const etag = (await fetchBytes(url.preview, { method: "HEAD" })).headers.get("etag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    expect((await fetchBytes(url.preview, { headers: { range: "bytes=0-9", "if-range": etag } })).status).toBe(206);
    const stale = await fetchBytes(url.preview, { headers: { range: "bytes=0-9", "if-range": '"something-else"' } });
    expect(stale.status).toBe(200);
    expect(stale.bytes.length).toBe(SIZE);
  });

  it("If-None-Match with the ETag: 304, no body, same validators", async () => {
    const first = await fetchBytes(url.preview);
    const etag = first.headers.get("etag") ?? "";
    const again = await fetchBytes(url.preview, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
  });

  it("HEAD: the headers of a GET, no body", async () => {
    const response = await fetchBytes(url.preview, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.bytes.length).toBe(0);
  });
});

describe("cache headers", () => {
  it("a published course's cover and preview media: public, a day, immutable (keys are content-unique)", async () => {
    for (const path of [url.cover, url.preview]) {
      const response = await fetchBytes(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=86400, immutable");
    }
  });

  it("a paid lesson's media: private, an hour; never sniffed", async () => {
    const response = await fetchBytes(url.paid, { token: enrolled.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("who may fetch what", () => {
  type Who = "anonymous" | "learner" | "enrolled" | "other instructor" | "author" | "admin";
  const token = (who: Who) =>
    ({
      anonymous: undefined,
      learner: learner.token,
      enrolled: enrolled.token,
      "other instructor": otherInstructor.token,
      author: author.token,
      admin: admin.token,
    })[who];

  const matrix: [keyof typeof url, Record<Who, number>][] = [
    ["cover", { anonymous: 200, learner: 200, enrolled: 200, "other instructor": 200, author: 200, admin: 200 }],
    ["preview", { anonymous: 200, learner: 200, enrolled: 200, "other instructor": 200, author: 200, admin: 200 }],
    ["paid", { anonymous: 401, learner: 403, enrolled: 200, "other instructor": 403, author: 200, admin: 200 }],
    ["unattached", { anonymous: 404, learner: 404, enrolled: 404, "other instructor": 404, author: 200, admin: 200 }],
    ["draftPreview", { anonymous: 404, learner: 404, enrolled: 404, "other instructor": 404, author: 200, admin: 200 }],
  ];

  it.each(matrix)("%s media", async (what, expected) => {
    const answers: Record<string, number> = {};
    for (const who of Object.keys(expected) as Who[]) {
      const response = await fetchBytes(url[what], { token: token(who) });
      answers[who] = response.status;
      if (response.status >= 400) expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(answers).toEqual(expected);
  });

  it("an author's own draft and unattached media are private, even in a published course", async () => {
    for (const path of [url.unattached, url.draftPreview]) {
      expect((await fetchBytes(path, { token: author.token })).headers.get("cache-control")).toBe(
        "private, max-age=3600",
      );
    }
  });

  it("a learner whose access ends is refused the paid media again", async () => {
    const revoked = await person("serve-revoked");
    await enroll(revoked.userId, published);
    expect((await fetchBytes(url.paid, { token: revoked.token })).status).toBe(200);
    await db.query("update courses.enrollments set revoked_at = now() where user_id = $1", [revoked.userId]);
    expect((await fetchBytes(url.paid, { token: revoked.token })).status).toBe(403);
  });

  it("an archived course's media only for those with access, preview included", async () => {
    await db.query("update courses.courses set status = 'archived' where id = $1", [published]);
    try {
      expect((await fetchBytes(url.preview)).status).toBe(401);
      expect((await fetchBytes(url.preview, { token: learner.token })).status).toBe(403);
      expect((await fetchBytes(url.preview, { token: enrolled.token })).status).toBe(200);
      expect((await fetchBytes(url.preview, { token: author.token })).headers.get("cache-control")).toBe(
        "private, max-age=3600",
      );
    } finally {
      await db.query("update courses.courses set status = 'published' where id = $1", [published]);
    }
  });

  it("unknown course, unknown key, a key of another course, or a malformed id: 404 / 400", async () => {
    const key = url.preview.split("/media/")[1] ?? "";
    const otherCourse = await course(author.userId, "published");
    expect((await fetchBytes(`/api/courses/${crypto.randomUUID()}/media/${key}`, { token: admin.token })).status).toBe(
      404,
    );
    expect(
      (await fetchBytes(`/api/courses/${published}/media/${crypto.randomUUID()}/nothing.mp4`, { token: admin.token }))
        .status,
    ).toBe(404);
    expect((await fetchBytes(`/api/courses/${otherCourse}/media/${key}`, { token: admin.token })).status).toBe(404);
    expect((await fetchBytes(`/api/courses/not-a-uuid/media/${key}`)).status).toBe(400);
  });
});
