import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { LINK_LIFETIME_SECONDS, LINK_PARAMS, MAX_LINK_LIFETIME_SECONDS } from "../src/media/media-links.ts";
import { draftCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";
import { localBucket, storedUpload } from "./media-local-bucket.ts";
import { MEDIA_URL_SECRET, mediaClient, patternBytes, sameBytes } from "./media-in-process.ts";

/**
 * Captions and downloads in the lesson model (authored through the lesson write routes, checked
 * against the course's uploads), and the lesson reads that hand out ready-to-use links to a
 * lesson's video, caption tracks and downloads: public for a published course's free preview,
 * signed for the reader otherwise.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let r2: Awaited<ReturnType<typeof localBucket>>;
let courses: ReturnType<typeof inProcess>;
let fetchMedia: ReturnType<typeof mediaClient>;

interface CaptionAnswer {
  language: string;
  label: string;
  key: string;
  url: string;
}
interface DownloadAnswer {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  key: string;
  url: string;
}
interface LessonAnswer {
  id: string;
  title: string;
  kind: string;
  isPreview: boolean;
  locked: boolean;
  mediaUrl: string | null;
  captions: CaptionAnswer[];
  downloads: DownloadAnswer[];
  urlsExpireAt: string | null;
}
interface Problem {
  type: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const author = principal("instructor");
const otherAuthor = principal("instructor");
const learner = principal("learner");
const outsider = principal("learner");
const vtt = (text: string) => new TextEncoder().encode(`WEBVTT\n\n00:00.000 --> 00:02.000\n${text}\n`);
const files = {
  en: vtt("Hello"),
  pt: vtt("Olá"),
  previewEn: vtt("Preview"),
  pdf: patternBytes(3000, 1),
  zip: patternBytes(4000, 2),
};

let courseId: string;
const lesson = { watch: "", preview: "", read: "" };
const key = {
  watchVideo: "",
  previewVideo: "",
  en: "",
  pt: "",
  previewEn: "",
  pdf: "",
  zip: "",
  foreignVtt: "",
  pending: "",
};

const upload = (fileName: string, contentType: string, bytes: Uint8Array, course = courseId) =>
  storedUpload(pool, r2.bucket, { courseId: course, createdBy: author.userId, fileName, contentType, bytes });

async function addLesson(body: Record<string, unknown>): Promise<string> {
  const added = await courses.request<LessonAnswer>("POST", `/api/courses/${courseId}/lessons`, { as: author, body });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body.id;
}

const patch = (id: string, body: Record<string, unknown>, as = author) =>
  courses.request<LessonAnswer & Problem>("PATCH", `/api/courses/${courseId}/lessons/${id}`, { as, body });

const lessonsOf = async (as?: typeof learner) => {
  const read = await courses.request<{ lessons: LessonAnswer[] }>(
    "GET",
    `/api/courses/${courseId}/lessons`,
    as ? { as } : {},
  );
  expect(read.status).toBe(200);
  return Object.fromEntries(read.body.lessons.map((entry) => [entry.title, entry])) as Record<string, LessonAnswer>;
};

beforeAll(async () => {
  [cache, r2] = await Promise.all([localKv(), localBucket()]);
  const bindings = { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv, MEDIA: r2.bucket, MEDIA_URL_SECRET };
  courses = inProcess(app, bindings);
  fetchMedia = mediaClient(bindings);
  courseId = (await draftCourse(courses, author)).id;
  lesson.watch = await addLesson({ title: "Watch", kind: "video" });
  lesson.preview = await addLesson({ title: "Preview", kind: "video", isPreview: true });
  lesson.read = await addLesson({ title: "Read", kind: "text", bodyMarkdown: "Some *text*." });
  key.watchVideo = await upload("watch.mp4", "video/mp4", patternBytes(5000, 3));
  key.previewVideo = await upload("preview.mp4", "video/mp4", patternBytes(5000, 4));
  key.en = await upload("en.vtt", "text/vtt", files.en);
  key.pt = await upload("pt-br.vtt", "text/vtt", files.pt);
  key.previewEn = await upload("preview-en.vtt", "text/vtt", files.previewEn);
  key.pdf = await upload("workbook.pdf", "application/pdf", files.pdf);
  key.zip = await upload("Lesson slides.zip", "application/zip", files.zip);
  const elsewhere = await draftCourse(courses, otherAuthor);
  key.foreignVtt = await upload("theirs.vtt", "text/vtt", vtt("Not yours"), elsewhere.id);
  key.pending = await upload("pending.vtt", "text/vtt", vtt("Not yet"));
  await pool.query("update courses.media_uploads set status = 'uploading', completed_at = null where object_key = $1", [
    key.pending,
  ]);
  await pool.query("update courses.lessons set media_key = $1 where id = $2", [key.watchVideo, lesson.watch]);
  await pool.query("update courses.lessons set media_key = $1 where id = $2", [key.previewVideo, lesson.preview]);
});

afterAll(async () => {
  await pool.end();
  await Promise.all([cache?.dispose(), r2?.dispose()]);
});

describe("authoring captions and downloads through the lesson routes", () => {
  it("a video lesson takes caption tracks and downloads; types and sizes come from the uploads, names default to the file's", async () => {
    const changed = await patch(lesson.watch, {
      captions: [
        { language: "en", label: "English", key: key.en },
        { language: "pt-BR", label: "Português (Brasil)", key: key.pt },
      ],
      downloads: [{ key: key.pdf, fileName: "Workbook for lesson 1.pdf" }, { key: key.zip }],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.captions.map(({ language, label, key }) => ({ language, label, key }))).toEqual([
      { language: "en", label: "English", key: key.en },
      { language: "pt-BR", label: "Português (Brasil)", key: key.pt },
    ]);
    expect(changed.body.downloads.map(({ url: _url, ...download }) => download)).toEqual([
      {
        fileName: "Workbook for lesson 1.pdf",
        contentType: "application/pdf",
        sizeBytes: files.pdf.length,
        key: key.pdf,
      },
      { fileName: "Lesson slides.zip", contentType: "application/zip", sizeBytes: files.zip.length, key: key.zip },
    ]);
    const { rows } = await pool.query<{ captions: unknown; downloads: unknown }>(
      "select captions, downloads from courses.lessons where id = $1",
      [lesson.watch],
    );
    expect(rows[0]?.captions).toEqual([
      { language: "en", label: "English", key: key.en },
      { language: "pt-BR", label: "Português (Brasil)", key: key.pt },
    ]);
    expect((rows[0]?.downloads as unknown[]).length).toBe(2);
  });

  it("each list is replaced whole, and only when sent: a title change keeps both", async () => {
    await patch(lesson.preview, { captions: [{ language: "en", label: "English", key: key.previewEn }] });
    const renamed = await patch(lesson.preview, { title: "Preview" });
    expect(renamed.body.captions.map((caption) => caption.key)).toEqual([key.previewEn]);
    const cleared = await patch(lesson.preview, { captions: [] });
    expect(cleared.body.captions).toEqual([]);
    const back = await patch(lesson.preview, { captions: [{ language: "en", label: "English", key: key.previewEn }] });
    expect(back.body.captions).toHaveLength(1);
  });

  it("a text lesson takes downloads, when added and when changed, but no caption tracks (422)", async () => {
    const added = await courses.request<LessonAnswer>("POST", `/api/courses/${courseId}/lessons`, {
      as: author,
      body: { title: "Handout", kind: "text", bodyMarkdown: "See the file.", downloads: [{ key: key.pdf }] },
    });
    expect(added.status).toBe(201);
    expect(added.body.downloads.map((download) => download.fileName)).toEqual(["workbook.pdf"]);
    await courses.request("DELETE", `/api/courses/${courseId}/lessons/${added.body.id}`, { as: author });

    expect((await patch(lesson.read, { downloads: [{ key: key.zip }] })).status).toBe(200);
    const captioned = await patch(lesson.read, { captions: [{ language: "en", label: "English", key: key.en }] });
    expect(captioned.status).toBe(422);
    expect(captioned.body.errors).toEqual([{ path: "captions", message: "only video lessons have caption tracks" }]);
  });

  it("keys that are not this course's completed uploads, or a caption that is not WebVTT: 422 listing each", async () => {
    const refused = await patch(lesson.watch, {
      captions: [
        { language: "en", label: "A PDF", key: key.pdf },
        { language: "en", label: "Another course's", key: key.foreignVtt },
        { language: "en", label: "Still uploading", key: key.pending },
        { language: "en", label: "Good", key: key.en },
      ],
      downloads: [{ key: `courses/${courseId}/nothing/here.pdf` }, { key: key.zip }],
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.errors?.map((error) => error.path)).toEqual([
      "captions.0.key",
      "captions.1.key",
      "captions.2.key",
      "downloads.0.key",
    ]);
    expect(refused.body.errors?.[0]?.message).toBe("a caption track must be WebVTT (text/vtt), not application/pdf");
    // Nothing was stored from the refused write.
    const { rows } = await pool.query<{ captions: { key: string }[] }>(
      "select captions from courses.lessons where id = $1",
      [lesson.watch],
    );
    expect(rows[0]?.captions.map((caption) => caption.key)).toEqual([key.en, key.pt]);
  });

  it.each([
    [
      "two tracks with one label",
      {
        captions: [
          { language: "en", label: "English", key: "a" },
          { language: "en-GB", label: "English", key: "b" },
        ],
      },
      "json.captions",
    ],
    ["a download listed twice", { downloads: [{ key: "a" }, { key: "a" }] }, "json.downloads"],
    [
      "a language that is not a tag",
      { captions: [{ language: "English", label: "English", key: "a" }] },
      "json.captions.0.language",
    ],
    ["an empty label", { captions: [{ language: "en", label: "  ", key: "a" }] }, "json.captions.0.label"],
    ["a track without a key", { captions: [{ language: "en", label: "English" }] }, "json.captions.0.key"],
    ["a field the model does not have", { downloads: [{ key: "a", sizeBytes: 1 }] }, "json.downloads.0"],
    ["21 downloads", { downloads: Array.from({ length: 21 }, (_, index) => ({ key: `k${index}` })) }, "json.downloads"],
  ])("%s: 400 naming the field", async (_what, body, path) => {
    const refused = await patch(lesson.watch, body);
    expect(refused.status).toBe(400);
    expect(refused.body.type).toBe("/problems/validation-failed");
    expect(refused.body.errors?.map((error) => error.path)).toContain(path);
  });

  it("only the course's author (or an admin) may: another instructor 403, a learner 403", async () => {
    const body = { downloads: [{ key: key.zip }] };
    expect((await patch(lesson.watch, body, otherAuthor)).status).toBe(403);
    expect((await patch(lesson.watch, body, learner)).status).toBe(403);
  });
});

describe("lesson reads hand out links a page can use as they are", () => {
  beforeAll(async () => {
    const published = await courses.request("POST", `/api/courses/${courseId}/publish`, { as: author });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect((await courses.request("POST", `/api/courses/${courseId}/enroll`, { as: learner })).status).toBe(201);
  });

  const signedFor = (url: string | null | undefined, userId: string) => {
    const parsed = new URL(url ?? "", "http://worker.internal");
    expect(parsed.searchParams.get(LINK_PARAMS.user)).toBe(userId);
    expect(parsed.searchParams.get(LINK_PARAMS.signature)).toMatch(/^[\w-]{43}$/);
    return Number(parsed.searchParams.get(LINK_PARAMS.expires));
  };

  it("a learner with access: the video, each caption track and each download signed for them, all expiring together, 15 to 20 minutes on", async () => {
    const before = Math.floor(Date.now() / 1000);
    const watch = (await lessonsOf(learner)).Watch;
    const expiries = new Set([
      signedFor(watch?.mediaUrl, learner.userId),
      ...(watch?.captions ?? []).map((caption) => signedFor(caption.url, learner.userId)),
      ...(watch?.downloads ?? []).map((download) => signedFor(download.url, learner.userId)),
    ]);
    expect(watch?.captions).toHaveLength(2);
    expect(watch?.downloads).toHaveLength(2);
    expect(expiries.size).toBe(1);
    const [expires = 0] = expiries;
    expect(watch?.urlsExpireAt).toBe(new Date(expires * 1000).toISOString());
    expect(expires - before).toBeGreaterThanOrEqual(LINK_LIFETIME_SECONDS);
    expect(expires - before).toBeLessThanOrEqual(MAX_LINK_LIFETIME_SECONDS + 1);
  });

  it("and each link serves its file without a header: the caption as text/vtt, the ZIP as an attachment", async () => {
    const watch = (await lessonsOf(learner)).Watch;
    const caption = await fetchMedia(watch?.captions[0]?.url ?? "");
    expect(caption.status).toBe(200);
    expect(caption.headers.get("content-type")).toBe("text/vtt");
    expect(sameBytes(caption.bytes, files.en)).toBe(true);
    const zip = await fetchMedia(watch?.downloads[1]?.url ?? "");
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(sameBytes(zip.bytes, files.zip)).toBe(true);
    // The header path knows captions and downloads as the lesson's media too (no longer "unattached").
    const path = (watch?.captions[1]?.url ?? "").split("?")[0] ?? "";
    expect((await fetchMedia(path, { as: learner })).status).toBe(200);
    expect((await fetchMedia(path, { as: outsider })).status).toBe(403);
    expect((await fetchMedia(path)).status).toBe(401);
  });

  it("a free preview of a published course: public URLs, nothing signed, and its caption served to anyone", async () => {
    for (const reader of [learner, outsider, undefined]) {
      const preview = (await lessonsOf(reader)).Preview;
      expect(preview?.mediaUrl).not.toContain("?");
      expect(preview?.captions[0]?.url).not.toContain("?");
      expect(preview?.urlsExpireAt).toBeNull();
    }
    const anonymous = await fetchMedia((await lessonsOf()).Preview?.captions[0]?.url ?? "");
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=86400, immutable");
  });

  it("without access (signed in or not): locked lessons carry no media, caption or download at all", async () => {
    for (const reader of [outsider, undefined]) {
      const { Watch: watch, Read: read } = await lessonsOf(reader);
      expect(watch).toMatchObject({ locked: true, mediaUrl: null, captions: [], downloads: [], urlsExpireAt: null });
      expect(read).toMatchObject({ locked: true, downloads: [], urlsExpireAt: null });
    }
  });

  it("the author of a draft gets signed links too (the studio's preview plays in a <video>)", async () => {
    const draft = await draftCourse(courses, author);
    const id = (
      await courses.request<LessonAnswer>("POST", `/api/courses/${draft.id}/lessons`, {
        as: author,
        body: { title: "Draft video", kind: "video", isPreview: true },
      })
    ).body.id;
    const video = await upload("draft.mp4", "video/mp4", patternBytes(100, 8), draft.id);
    await pool.query("update courses.lessons set media_key = $1 where id = $2", [video, id]);
    const read = await courses.request<LessonAnswer>("GET", `/api/courses/${draft.id}/lessons/${id}`, { as: author });
    signedFor(read.body.mediaUrl, author.userId);
    expect((await fetchMedia(read.body.mediaUrl ?? "")).status).toBe(200);
  });
});

describe("GET /api/courses/{id}/lessons/{lessonId}: one lesson with fresh links", () => {
  const one = (lessonId: string, as?: typeof learner) =>
    courses.request<LessonAnswer & Problem>("GET", `/api/courses/${courseId}/lessons/${lessonId}`, as ? { as } : {});

  it("a learner with access: the lesson as the list has it, links signed for them, never shared-cached", async () => {
    const read = await one(lesson.watch, learner);
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("private, no-store");
    const listed = (await lessonsOf(learner)).Watch;
    const withoutLinks = (entry: LessonAnswer | undefined) => ({
      ...entry,
      mediaUrl: entry?.mediaUrl?.split("?")[0],
      captions: entry?.captions.map(({ url: _url, ...caption }) => caption),
      downloads: entry?.downloads.map(({ url: _url, ...download }) => download),
      urlsExpireAt: typeof entry?.urlsExpireAt,
    });
    expect(withoutLinks(read.body)).toEqual(withoutLinks(listed));
    expect(new URL(read.body.mediaUrl ?? "", "http://worker.internal").searchParams.get(LINK_PARAMS.user)).toBe(
      learner.userId,
    );
    expect((await fetchMedia(read.body.mediaUrl ?? "", { headers: { range: "bytes=0-9" } })).status).toBe(206);
  });

  it("signed out: a preview open (shared cache for a second), a paid lesson locked", async () => {
    const preview = await one(lesson.preview);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=1");
    expect(preview.body).toMatchObject({ locked: false, urlsExpireAt: null });
    expect((await one(lesson.watch)).body).toMatchObject({ locked: true, mediaUrl: null, captions: [], downloads: [] });
  });

  it("a draft's lesson for anyone but its author, another course's lesson, an unknown one: 404; a malformed id: 400", async () => {
    const draft = await draftCourse(courses, author);
    const draftLesson = (
      await courses.request<LessonAnswer>("POST", `/api/courses/${draft.id}/lessons`, {
        as: author,
        body: { title: "Hidden", kind: "video", isPreview: true },
      })
    ).body.id;
    const path = `/api/courses/${draft.id}/lessons/${draftLesson}`;
    expect((await courses.request("GET", path, { as: learner })).status).toBe(404);
    expect((await courses.request("GET", path)).status).toBe(404);
    expect((await courses.request("GET", path, { as: author })).status).toBe(200);
    expect((await one(draftLesson, learner)).status).toBe(404);
    const unknown = await one(crypto.randomUUID(), learner);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("No such lesson in this course.");
    const malformed = await one("not-a-uuid", learner);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((error) => error.path)).toEqual(["param.lessonId"]);
  });

  it("costs one statement and no session, like the list", async () => {
    expect((await one(lesson.watch, learner)).db).toEqual({ queries: 1, sessions: 0 });
  });
});
