import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError, principalOf, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { hasAccess } from "../access.ts";
import type { CoursesEnv } from "../env.ts";
import { addLesson, courseContent, deleteLesson, reorderLessons, updateLesson, type Lesson } from "../lessons.ts";
import { renderLessonMarkdown } from "../markdown.ts";
import { canEdit, courseForEditing, findCourse } from "../permissions.ts";
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

function presentLesson(
  course: { id: string },
  lesson: Lesson,
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
    html: unlocked && lesson.bodyMarkdown !== null ? renderLessonMarkdown(lesson.bodyMarkdown) : null,
    markdown: author ? lesson.bodyMarkdown : null,
    mediaUrl: unlocked && lesson.mediaKey ? mediaPath(course, lesson.mediaKey) : null,
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
    200: { description: "Sections and lessons", content: json(contentView) },
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

export const lessonRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(list, async (c) => {
    const db = c.var.database().db;
    const course = await findCourse(db, c.req.valid("param").id);
    const principal = principalOf(c);
    if (!course) throw new ProblemError("not-found", { detail: "No such course." });
    const author = canEdit(course, principal);
    const open = author || (principal !== undefined && (await hasAccess(db, principal.userId, course.id)));
    if (course.status === "draft" && !author) throw new ProblemError("not-found", { detail: "No such course." });
    if (course.status === "archived" && !open) throw new ProblemError("not-found", { detail: "No such course." });
    const content = await courseContent(db, course.id);
    c.header("cache-control", "private, no-store");
    return c.json(
      {
        courseId: course.id,
        access: open ? ("full" as const) : ("preview" as const),
        sections: content.sections.map(({ id, title, position }) => ({ id, title, position })),
        lessons: content.lessons.map((lesson) => presentLesson(course, lesson, open, author)),
      },
      200,
    );
  })
  .openapi(add, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const lesson = await addLesson(db, course, c.req.valid("json"), eventContext(c));
    return c.json(presentLesson(course, lesson, true, true), 201);
  })
  .openapi(update, async (c) => {
    const db = c.var.database().db;
    const { id, lessonId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const lesson = await updateLesson(db, course, lessonId, c.req.valid("json"), eventContext(c));
    return c.json(presentLesson(course, lesson, true, true), 200);
  })
  .openapi(remove, async (c) => {
    const db = c.var.database().db;
    const { id, lessonId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    await deleteLesson(db, course, lessonId, eventContext(c));
    return c.body(null, 204);
  })
  .openapi(reorder, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    await reorderLessons(db, course, c.req.valid("json").lessonIds, eventContext(c));
    const content = await courseContent(db, course.id);
    return c.json(
      {
        courseId: course.id,
        access: "full" as const,
        sections: content.sections.map(({ id, title, position }) => ({ id, title, position })),
        lessons: content.lessons.map((lesson) => presentLesson(course, lesson, true, true)),
      },
      200,
    );
  });
