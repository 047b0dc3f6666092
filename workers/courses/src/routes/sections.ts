import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { courseWritten } from "../cache/course-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { addSection, deleteSection, renameSection, reorderSections, type Section } from "../lessons.ts";
import { courseForEditing } from "../permissions.ts";
import { authors, courseIdParam, eventContext, sectionView } from "./schemas.ts";

const present = ({ id, title, position }: Section) => ({ id, title, position });
const sectionParams = courseIdParam.extend({ sectionId: z.uuid() });
const titleBody = z.object({ title: z.string().trim().min(1).max(200) }).strict();

const errors = {
  400: problem("Invalid input"),
  403: problem("Not this course's author (or an admin)"),
  404: problem("No such course or section"),
};

const add = defineRoute(authors, {
  method: "post",
  operationId: "createSection",
  path: "/api/courses/{id}/sections",
  summary: "Add a section (module) at the end (author or admin)",
  tags: ["lessons"],
  request: { params: courseIdParam, body: { required: true, content: json(titleBody) } },
  responses: { 201: { description: "The section", content: json(sectionView) }, ...errors },
});

const rename = defineRoute(authors, {
  method: "patch",
  operationId: "renameSection",
  path: "/api/courses/{id}/sections/{sectionId}",
  summary: "Rename a section (author or admin)",
  tags: ["lessons"],
  request: { params: sectionParams, body: { required: true, content: json(titleBody) } },
  responses: { 200: { description: "The section", content: json(sectionView) }, ...errors },
});

const remove = defineRoute(authors, {
  method: "delete",
  operationId: "deleteSection",
  path: "/api/courses/{id}/sections/{sectionId}",
  summary: "Delete a section; its lessons stay, outside any section (author or admin)",
  tags: ["lessons"],
  request: { params: sectionParams },
  responses: { 204: { description: "Deleted" }, ...errors },
});

const reorder = defineRoute(authors, {
  method: "put",
  operationId: "reorderSections",
  path: "/api/courses/{id}/sections/order",
  summary: "Put every section of the course in a new order (author or admin)",
  tags: ["lessons"],
  request: {
    params: courseIdParam,
    body: { required: true, content: json(z.object({ sectionIds: z.array(z.uuid()).min(1).max(500) })) },
  },
  responses: {
    204: { description: "Reordered" },
    ...errors,
    422: problem("Not exactly the course's sections"),
  },
});

export const sectionRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(add, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    const section = await addSection(db, course, c.req.valid("json").title, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(present(section), 201);
  })
  .openapi(rename, async (c) => {
    const db = c.var.database().db;
    const { id, sectionId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const section = await renameSection(db, course, sectionId, c.req.valid("json").title, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.json(present(section), 200);
  })
  .openapi(remove, async (c) => {
    const db = c.var.database().db;
    const { id, sectionId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    await deleteSection(db, course, sectionId, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.body(null, 204);
  })
  .openapi(reorder, async (c) => {
    const db = c.var.database().db;
    const course = await courseForEditing(db, c.req.valid("param").id, requirePrincipal(c));
    await reorderSections(db, course, c.req.valid("json").sectionIds, eventContext(c));
    await courseWritten(c.env.CATALOG_CACHE, course.id, { listed: false });
    return c.body(null, 204);
  });
