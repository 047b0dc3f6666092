import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { courseWritten } from "../cache/course-cache.ts";
import { archiveCourse, createCourse, publishCourse, slugify, updateCourse } from "../courses.ts";
import type { CoursesEnv } from "../env.ts";
import { courseForEditing } from "../permissions.ts";
import {
  authors,
  courseIdParam,
  courseSchema,
  eventContext,
  languageSchema,
  levelSchema,
  presentCourse,
  priceSchema,
  slugSchema,
} from "./schemas.ts";

const courseBody = z.object({
  title: z.string().trim().min(3).max(200),
  slug: slugSchema.optional().openapi({ description: "Derived from the title when left out" }),
  summary: z.string().trim().max(500).default(""),
  description: z.string().max(20_000).default(""),
  language: languageSchema.default("en"),
  level: levelSchema.default("beginner"),
  price: priceSchema.nullable().openapi({ description: "Null for a free course" }),
});

// Spelled out rather than derived: the create body's defaults must not fill in fields a patch leaves out.
const coursePatch = z
  .object({
    title: z.string().trim().min(3).max(200),
    slug: slugSchema,
    summary: z.string().trim().max(500),
    description: z.string().max(20_000),
    language: languageSchema,
    level: levelSchema,
    price: priceSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change");

const writeErrors = {
  400: problem("Invalid input"),
  403: problem("Not an instructor, or not this course's author"),
};

const create = defineRoute(authors, {
  method: "post",
  operationId: "createCourse",
  path: "/api/courses",
  summary: "Create a draft course (instructors)",
  tags: ["courses"],
  request: { body: { required: true, content: json(courseBody) } },
  responses: {
    201: { description: "The draft", content: json(courseSchema) },
    400: problem("Invalid input"),
    409: problem("The slug is taken"),
  },
});

const update = defineRoute(authors, {
  method: "patch",
  operationId: "updateCourse",
  path: "/api/courses/{id}",
  summary: "Change a course (author or admin)",
  tags: ["courses"],
  request: { params: courseIdParam, body: { required: true, content: json(coursePatch) } },
  responses: {
    200: { description: "The changed course", content: json(courseSchema) },
    ...writeErrors,
    404: problem("No such course"),
    409: problem("The slug is taken"),
  },
});

const publish = defineRoute(authors, {
  method: "post",
  operationId: "publishCourse",
  path: "/api/courses/{id}/publish",
  summary: "Publish a complete course (author or admin)",
  description: "Complete: a summary, at least one lesson, media for every video and file lesson, and a price or free.",
  tags: ["courses"],
  request: { params: courseIdParam },
  responses: {
    200: { description: "The published course", content: json(courseSchema) },
    ...writeErrors,
    404: problem("No such course"),
    409: problem("Already published"),
    422: problem("Not complete: the problems are listed"),
  },
});

const archive = defineRoute(authors, {
  method: "post",
  operationId: "archiveCourse",
  path: "/api/courses/{id}/archive",
  summary: "Take a course out of the catalog; learners with access keep it (author or admin)",
  tags: ["courses"],
  request: { params: courseIdParam },
  responses: {
    200: { description: "The archived course", content: json(courseSchema) },
    ...writeErrors,
    404: problem("No such course"),
    409: problem("Already archived"),
  },
});

export const authoringRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(create, async (c) => {
    const principal = requirePrincipal(c);
    const { slug, ...fields } = c.req.valid("json");
    const course = await createCourse(
      c.var.database().db,
      principal.userId,
      { ...fields, slug: slug ?? slugify(fields.title) },
      eventContext(c),
    );
    c.header("location", `/api/courses/${course.id}`);
    return c.json(presentCourse(course), 201);
  })
  .openapi(update, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const updated = await updateCourse(db, course, c.req.valid("json"), eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: course.status === "published" });
    return c.json(presentCourse(updated), 200);
  })
  .openapi(publish, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const published = await publishCourse(db, course, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: true });
    return c.json(presentCourse(published), 200);
  })
  .openapi(archive, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const archived = await archiveCourse(db, course, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: course.status === "published" });
    return c.json(presentCourse(archived), 200);
  });
