import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, logLine, principalOf, requirePrincipal, type Principal } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { courseWritten, outlineSlot } from "../cache/course-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { readLesson } from "../lesson-read.ts";
import { addLesson, deleteLesson, reorderLessons, updateLesson } from "../lessons.ts";
import { MAX_CAPTIONS, MAX_DOWNLOADS } from "../media/lesson-files.ts";
import { NO_LINKS, lessonLinks } from "../media/lesson-links.ts";
import { mediaLinks, plainMediaLinks, type MediaLinks } from "../media/media-links.ts";
import { MediaSecretError } from "../media/signed-url.ts";
import { readOutline, type Outline, type OutlineLesson } from "../outline.ts";
import { canEdit, courseForEditing, type Course } from "../permissions.ts";
import { PUBLIC_READ, cacheHeaders } from "./cache-headers.ts";
import { authors, courseIdParam, eventContext, languageSchema, publicRead, sectionView } from "./schemas.ts";

const captionView = z
  .object({
    language: z.string().openapi({ description: "BCP 47 language tag, for `<track srclang>`" }),
    label: z.string().openapi({ description: "What the player's caption menu shows" }),
    key: z.string().openapi({ description: "The WebVTT upload's object key" }),
    url: z.string().openapi({ description: "For `<track src>`: public, or signed for you like `mediaUrl`" }),
  })
  .openapi("LessonCaption");

const downloadView = z
  .object({
    fileName: z.string().openapi({ description: "The name to save it as (`<a download>`)" }),
    contentType: z.string(),
    sizeBytes: z.int(),
    key: z.string().openapi({ description: "The upload's object key" }),
    url: z.string().openapi({ description: "For `<a href>`: public, or signed for you like `mediaUrl`" }),
  })
  .openapi("LessonDownload");

const lessonView = z
  .object({
    id: z.uuid(),
    sectionId: z.uuid().nullable(),
    position: z.int(),
    title: z.string(),
    kind: z.enum(["video", "text", "file"]),
    isPreview: z.boolean(),
    durationSeconds: z.int().nullable(),
    locked: z.boolean().openapi({ description: "True when you cannot open it: no content or media is sent" }),
    html: z.string().nullable().openapi({ description: "Text lessons, unlocked: the rendered, sanitised Markdown" }),
    markdown: z
      .string()
      .nullable()
      .openapi({ description: "Text lessons: the source, for the course's author and admins" }),
    mediaUrl: z
      .string()
      .nullable()
      .openapi({
        description:
          "Video and file lessons, unlocked, once uploaded; ready for `<video src>` or `<a href>` as it is: a free " +
          "preview of a published course has its public URL, any other media a link signed for you (see `urlsExpireAt`)",
      }),
    captions: z
      .array(captionView)
      .openapi({ description: "Video lessons, unlocked: the author's caption tracks (WebVTT), in order" }),
    downloads: z
      .array(downloadView)
      .openapi({ description: "Unlocked lessons: files to download beside the lesson, in order" }),
    urlsExpireAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .openapi({
        description:
          "When this lesson's signed links stop working (15 to 20 minutes after the read; null: it has none). " +
          "Before then, or when a link answers 403, read the lesson again (GET /api/courses/{id}/lessons/{lessonId}) " +
          "for fresh ones. A link is checked when a request starts, so a response already streaming is not cut off",
      }),
  })
  .openapi("Lesson");

const contentView = z
  .object({
    courseId: z.uuid(),
    access: z.enum(["full", "preview"]).openapi({ description: "preview: only free-preview lessons are open" }),
    sections: z.array(sectionView),
    lessons: z.array(lessonView),
  })
  .openapi("CourseContent");

type ContentView = z.infer<typeof contentView>;

type LessonView = z.infer<typeof lessonView>;

/**
 * A lesson as this caller may see it. The HTML is the one stored when the lesson was written; the
 * media, caption and download URLs are made for this caller (media/lesson-links.ts).
 */
async function presentLesson(
  course: Pick<Course, "id" | "status">,
  lesson: OutlineLesson,
  open: boolean,
  author: boolean,
  links: MediaLinks,
): Promise<LessonView> {
  const unlocked = open || lesson.isPreview;
  return {
    id: lesson.id,
    sectionId: lesson.sectionId,
    position: lesson.position,
    title: lesson.title,
    kind: lesson.kind,
    isPreview: lesson.isPreview,
    durationSeconds: lesson.durationSeconds,
    locked: !unlocked,
    html: unlocked ? lesson.bodyHtml : null,
    markdown: author ? lesson.bodyMarkdown : null,
    ...(unlocked ? await lessonLinks(course, lesson, links) : NO_LINKS),
  };
}

async function presentOutline(
  outline: Outline,
  open: boolean,
  author: boolean,
  links: MediaLinks,
): Promise<ContentView> {
  return {
    courseId: outline.course.id,
    access: open ? "full" : "preview",
    sections: outline.sections.map(({ id, title, position }) => ({ id, title, position })),
    lessons: await Promise.all(
      outline.lessons.map((lesson) => presentLesson(outline.course, lesson, open, author, links)),
    ),
  };
}

/**
 * The media links a caller gets: signed for a signed-in caller, plain for an anonymous one (only
 * public media is ever unlocked for them). Without a usable `MEDIA_URL_SECRET` a signed-in caller
 * gets plain ones too, which work with a bearer token but not in a `<video>`: the lesson still
 * reads, and the configuration error is logged.
 */
function linksFor(c: Context<CoursesEnv>, reader: Principal | undefined): MediaLinks {
  if (!reader) return plainMediaLinks;
  try {
    return mediaLinks(c.env.MEDIA_URL_SECRET, reader.userId, new Date());
  } catch (error) {
    if (!(error instanceof MediaSecretError)) throw error;
    logLine("error", "courses", `${error.message} Private media links go out unsigned: players cannot load them.`, {
      correlationId: c.var.correlationId,
    });
    return plainMediaLinks;
  }
}

const lessonParams = courseIdParam.extend({ lessonId: z.uuid() });
const uploadKey = z
  .string()
  .min(1)
  .max(1000)
  .openapi({ description: "The `objectKey` of a completed upload of this course", example: "courses/…/…/en.vtt" });
const captionInput = z
  .object({
    language: languageSchema.openapi({ description: "BCP 47 language of the track, for `<track srclang>`" }),
    label: z.string().trim().min(1).max(80).openapi({ example: "English" }),
    key: uploadKey.openapi({ description: "A completed WebVTT (text/vtt) upload of this course" }),
  })
  .strict();
const downloadInput = z
  .object({
    key: uploadKey,
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .openapi({ description: "The name learners save it as; the uploaded file's name when left out" }),
  })
  .strict();
const distinct = <T>(items: readonly T[], by: (item: T) => string) => new Set(items.map(by)).size === items.length;
const newLesson = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: z.enum(["video", "text", "file"]),
    sectionId: z.uuid().nullable().optional(),
    bodyMarkdown: z.string().max(200_000).optional().openapi({ description: "Text lessons only" }),
    durationSeconds: z.int().min(1).max(86_400).optional().openapi({ description: "Video lessons only" }),
    isPreview: z.boolean().default(false),
    captions: z
      .array(captionInput)
      .max(MAX_CAPTIONS)
      .refine((tracks) => distinct(tracks, (track) => track.label), "each caption track needs its own label")
      .optional()
      .openapi({ description: "Video lessons only: the caption tracks, replacing the lesson's list" }),
    downloads: z
      .array(downloadInput)
      .max(MAX_DOWNLOADS)
      .refine((files) => distinct(files, (file) => file.key), "each download is listed once")
      .optional()
      .openapi({ description: "Files to download beside the lesson, replacing its list" }),
  })
  .strict();
const lessonPatch = newLesson
  .omit({ kind: true, isPreview: true })
  .extend({ isPreview: z.boolean() })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change");

const writeErrors = {
  400: problem("Invalid input"),
  403: problem("Not this course's author (or an admin)"),
  404: problem("No such course, lesson or section"),
};

const list = defineRoute(publicRead("a course's outline is public; the handler locks what the caller may not open"), {
  method: "get",
  operationId: "listLessons",
  path: "/api/courses/{id}/lessons",
  summary: "The course's sections and lessons in order; locked ones without content",
  tags: ["lessons"],
  request: { params: courseIdParam },
  responses: {
    200: {
      description:
        "Sections and lessons. Anonymous visitors get a published course's shared outline (`x-cache: hit|miss`, " +
        "`Cache-Control: public`); a signed-in caller's own view is never shared (`x-cache: bypass`, `private, no-store`)",
      content: json(contentView),
    },
    400: problem("Invalid id"),
    404: problem("No such course (or not visible to you)"),
  },
});

const add = defineRoute(authors, {
  method: "post",
  operationId: "createLesson",
  path: "/api/courses/{id}/lessons",
  summary: "Add a lesson at the end (author or admin)",
  tags: ["lessons"],
  request: { params: courseIdParam, body: { required: true, content: json(newLesson) } },
  responses: {
    201: { description: "The lesson", content: json(lessonView) },
    ...writeErrors,
    422: problem("Fields that do not fit the lesson kind"),
  },
});

const update = defineRoute(authors, {
  method: "patch",
  operationId: "updateLesson",
  path: "/api/courses/{id}/lessons/{lessonId}",
  summary: "Change a lesson (author or admin)",
  tags: ["lessons"],
  request: { params: lessonParams, body: { required: true, content: json(lessonPatch) } },
  responses: {
    200: { description: "The lesson", content: json(lessonView) },
    ...writeErrors,
    422: problem("Fields that do not fit the lesson kind"),
  },
});

const one = defineRoute(
  publicRead("a lesson is as public as the outline it is in; the handler locks what the caller may not open"),
  {
    method: "get",
    operationId: "getLesson",
    path: "/api/courses/{id}/lessons/{lessonId}",
    summary: "One lesson as you may see it, with fresh media links",
    description:
      "What a player reads again when the signed links of a lesson expire (`urlsExpireAt`), or when one answers " +
      "403: the same lesson as in the list, with links that live 15 to 20 minutes from now. Locked lessons come " +
      "without content or media, as in the list.",
    tags: ["lessons"],
    request: { params: lessonParams },
    responses: {
      200: {
        description:
          "The lesson. Signed in: your own view (`private, no-store`); signed out: a published course's lesson, " +
          "the same for everyone",
        content: json(lessonView),
      },
      400: problem("Invalid id"),
      404: problem("No such course or lesson (or not visible to you)"),
    },
  },
);

const remove = defineRoute(authors, {
  method: "delete",
  operationId: "deleteLesson",
  path: "/api/courses/{id}/lessons/{lessonId}",
  summary: "Delete a lesson (author or admin)",
  tags: ["lessons"],
  request: { params: lessonParams },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});

const reorder = defineRoute(authors, {
  method: "put",
  operationId: "reorderLessons",
  path: "/api/courses/{id}/lessons/order",
  summary: "Put every lesson of the course in a new order (author or admin)",
  tags: ["lessons"],
  request: {
    params: courseIdParam,
    body: { required: true, content: json(z.object({ lessonIds: z.array(z.uuid()).min(1).max(2000) })) },
  },
  responses: {
    200: { description: "Sections and lessons, reordered", content: json(contentView) },
    ...writeErrors,
    422: problem("Not exactly the course's lessons"),
  },
});

const notFound = () => new ProblemError("not-found", { detail: "No such course." });

/**
 * The outline an anonymous visitor sees: a published course's free previews open, the rest
 * locked. The same for every visitor, so it is shared through the cache; only a published
 * course's is ever kept.
 */
async function anonymousOutline(c: Context<CoursesEnv>, courseId: string) {
  const slot = await outlineSlot<ContentView>(c.env.CATALOG_CACHE, courseId);
  if (slot.value) {
    cacheHeaders(c, "public", "hit");
    return c.json(slot.value, 200);
  }
  const outline = await readOutline(c.var.database().db, courseId);
  if (outline?.course.status !== "published") throw notFound();
  const view = await presentOutline(outline, false, false, plainMediaLinks);
  // The slot was taken before the read, so what was read is at least as new as its version.
  c.executionCtx.waitUntil(slot.fill(view));
  cacheHeaders(c, "public", "miss");
  return c.json(view, 200);
}

export const lessonRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(list, async (c) => {
    const courseId = c.req.valid("param").id;
    const principal = principalOf(c);
    if (!principal) return anonymousOutline(c, courseId);
    // Signed in: the caller's own view (their access, or the author's sources), never shared; one query.
    const outline = await readOutline(c.var.database().db, courseId, principal.userId);
    if (!outline) throw notFound();
    const author = canEdit(outline.course, principal);
    const open = author || outline.viewerHasAccess;
    if (outline.course.status === "draft" && !author) throw notFound();
    if (outline.course.status === "archived" && !open) throw notFound();
    cacheHeaders(c, "personal", "bypass");
    return c.json(await presentOutline(outline, open, author, linksFor(c, principal)), 200);
  })
  .openapi(one, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    const principal = principalOf(c);
    const read = await readLesson(c.var.database().db, id, lessonId, principal?.userId);
    if (!read) throw notFound();
    const author = canEdit(read.course, principal);
    const open = author || read.viewerHasAccess;
    // Who may see the course at all, as for the list: a draft its authors, an archived course those with access.
    if (read.course.status === "draft" && !author) throw notFound();
    if (read.course.status === "archived" && !open) throw notFound();
    if (!read.lesson) throw new ProblemError("not-found", { detail: "No such lesson in this course." });
    if (principal) cacheHeaders(c, "personal", "bypass");
    else c.header("cache-control", PUBLIC_READ);
    return c.json(await presentLesson(read.course, read.lesson, open, author, linksFor(c, principal)), 200);
  })
  .openapi(add, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const lesson = await addLesson(db, course, c.req.valid("json"), eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(await presentLesson(course, lesson, true, true, linksFor(c, principalOf(c))), 201);
  })
  .openapi(update, async (c) => {
    const db = c.var.database().db;
    const { id, lessonId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const lesson = await updateLesson(db, course, lessonId, c.req.valid("json"), eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(await presentLesson(course, lesson, true, true, linksFor(c, principalOf(c))), 200);
  })
  .openapi(remove, async (c) => {
    const db = c.var.database().db;
    const { id, lessonId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    await deleteLesson(db, course, lessonId, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.body(null, 204);
  })
  .openapi(reorder, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    await reorderLessons(db, course, c.req.valid("json").lessonIds, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    const outline = await readOutline(db, course.id);
    if (!outline) throw notFound();
    return c.json(await presentOutline(outline, true, true, linksFor(c, principalOf(c))), 200);
  });
