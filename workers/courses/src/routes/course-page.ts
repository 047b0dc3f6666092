import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, principalOf } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { coursePageSlot, slugSlot } from "../cache/course-cache.ts";
import type { CacheSlot, CacheStore } from "../cache/versioned-cache.ts";
import { readCourse, type CourseLookup } from "../course-page.ts";
import type { CoursesEnv } from "../env.ts";
import { canEdit } from "../permissions.ts";
import { cacheHeaders } from "./cache-headers.ts";
import { courseIdParam, courseSchema, presentCourse, publicRead, slugSchema, type CourseView } from "./schemas.ts";

/** A published course is anyone's to read; the handler decides who sees a draft or an archived one. */
const visibleCourse = publicRead(
  "published courses are public; drafts and archived courses are checked in the handler",
);

const responses = {
  200: {
    description:
      "The course. A published course's page is shared (`x-cache: hit|miss`, `Cache-Control: public`); a draft " +
      "for its author, or an archived course for a learner with access, is read for the caller (`x-cache: bypass`, " +
      "`private, no-store`)",
    content: json(courseSchema),
  },
  400: problem("Invalid id or slug"),
  404: problem("No such course (or not visible to you)"),
} as const;

const byId = defineRoute(visibleCourse, {
  method: "get",
  operationId: "getCourse",
  path: "/api/courses/{id}",
  summary: "A course; drafts only for their author and admins",
  tags: ["courses"],
  request: { params: courseIdParam },
  responses,
});

const bySlug = defineRoute(visibleCourse, {
  method: "get",
  operationId: "getCourseBySlug",
  path: "/api/courses/by-slug/{slug}",
  summary: "A course by its slug (the site's course pages); drafts only for their author and admins",
  tags: ["courses"],
  request: { params: z.object({ slug: slugSchema }) },
  responses,
});

/** The shared cache's page for this lookup, and for a slug the hint that says which course it named. */
async function sharedPage(
  kv: CacheStore,
  lookup: CourseLookup,
): Promise<{ page?: CacheSlot<CourseView>; hint?: CacheSlot<string> }> {
  if ("id" in lookup) return { page: await coursePageSlot<CourseView>(kv, lookup.id) };
  const hint = await slugSlot(kv, lookup.slug);
  return { hint, ...(hint.value !== undefined && { page: await coursePageSlot<CourseView>(kv, hint.value) }) };
}

/**
 * A course's page: one query at most. A published course's page is the same for every caller, so
 * it comes from the shared cache for anyone but its editors (author, admins), who always read
 * PostgreSQL; only a published course is ever put in it.
 */
async function coursePage(c: Context<CoursesEnv>, lookup: CourseLookup) {
  const kv = c.env.CATALOG_CACHE;
  const principal = principalOf(c);
  const { page, hint } = await sharedPage(kv, lookup);
  const shared = page?.value;
  if (shared && ("id" in lookup || shared.slug === lookup.slug) && !canEdit(shared, principal)) {
    cacheHeaders(c, "public", "hit");
    return c.json(shared, 200);
  }
  const read = await readCourse(c.var.database().db, lookup, principal?.userId);
  const course = read?.course;
  const editor = course !== undefined && canEdit(course, principal);
  const visible =
    course !== undefined &&
    (course.status === "published" || editor || (course.status === "archived" && read?.viewerHasAccess === true));
  if (!course || !visible) throw new ProblemError("not-found", { detail: "No such course." });
  const view = presentCourse(course);
  if (course.status === "published") {
    // The slot was taken before the read, so what was read is at least as new as its version.
    if (page && ("id" in lookup || hint?.value === course.id)) c.executionCtx.waitUntil(page.fill(view));
    if (hint && hint.value !== course.id) c.executionCtx.waitUntil(hint.fill(course.id));
  }
  if (course.status === "published" && !editor) cacheHeaders(c, "public", "miss");
  else cacheHeaders(c, "personal", "bypass");
  return c.json(view, 200);
}

/** Mounted before the lesson routes (app.ts): `/api/courses/by-slug/lessons` names a slug, not a course's lessons. */
export const coursePageRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(bySlug, (c) => coursePage(c, { slug: c.req.valid("param").slug }))
  .openapi(byId, (c) => coursePage(c, { id: c.req.valid("param").id }));
