import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, principalOf, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { courseWritten, outlineSlot } from "../cache/course-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { addLesson, deleteLesson, reorderLessons, updateLesson } from "../lessons.ts";
import { readOutline, type Outline, type OutlineLesson } from "../outline.ts";
import { canEdit, courseForEditing } from "../permissions.ts";
import { cacheHeaders } from "./cache-headers.ts";
import { authors, courseIdParam, eventContext, mediaPath, sectionView } from "./schemas.ts";

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
    mediaUrl: z.string().nullable().openapi({ description: "Video and file lessons, unlocked, once uploaded" }),
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

/** A lesson as this caller may see it. The HTML is the one stored when the lesson was written. */
function presentLesson(
  course: { id: string },
  lesson: OutlineLesson,
  open: boolean,
  author: boolean,
): z.infer<typeof lessonView> {
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
    mediaUrl: unlocked && lesson.mediaKey ? mediaPath(course, lesson.mediaKey) : null,
  };
}

function presentOutline(outline: Outline, open: boolean, author: boolean): ContentView {
  return {
    courseId: outline.course.id,
    access: open ? "full" : "preview",
    sections: outline.sections.map(({ id, title, position }) => ({ id, title, position })),
    lessons: outline.lessons.map((lesson) => presentLesson(outline.course, lesson, open, author)),
  };
}

const lessonParams = courseIdParam.extend({ lessonId: z.uuid() });
const newLesson = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: z.enum(["video", "text", "file"]),
    sectionId: z.uuid().nullable().optional(),
    bodyMarkdown: z.string().max(200_000).optional().openapi({ description: "Text lessons only" }),
    durationSeconds: z.int().min(1).max(86_400).optional().openapi({ description: "Video lessons only" }),
    isPreview: z.boolean().default(false),
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

const list = defineRoute(publicAccess("a course's outline is public; the handler locks what the caller may not open"), {
  method: "get",
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

const remove = defineRoute(authors, {
  method: "delete",
  path: "/api/courses/{id}/lessons/{lessonId}",
  summary: "Delete a lesson (author or admin)",
  tags: ["lessons"],
  request: { params: lessonParams },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});

const reorder = defineRoute(authors, {
  method: "put",
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
  const view = presentOutline(outline, false, false);
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
    return c.json(presentOutline(outline, open, author), 200);
  })
  .openapi(add, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const lesson = await addLesson(db, course, c.req.valid("json"), eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(presentLesson(course, lesson, true, true), 201);
  })
  .openapi(update, async (c) => {
    const db = c.var.database().db;
    const { id, lessonId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const lesson = await updateLesson(db, course, lessonId, c.req.valid("json"), eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(presentLesson(course, lesson, true, true), 200);
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
    return c.json(presentOutline(outline, true, true), 200);
  });
