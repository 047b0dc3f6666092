import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, principalOf } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { syllabusSlot } from "../cache/course-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { instructorName } from "../instructor-name.ts";
import { canEdit } from "../permissions.ts";
import { readSyllabus, type Syllabus } from "../syllabus.ts";
import { cacheHeaders } from "./cache-headers.ts";
import { courseIdParam, publicRead, sectionView } from "./schemas.ts";

const syllabusLesson = z
  .object({
    id: z.uuid(),
    sectionId: z.uuid().nullable(),
    position: z.int(),
    title: z.string(),
    kind: z.enum(["video", "text", "file"]),
    isPreview: z
      .boolean()
      .openapi({ description: "A free preview: anyone can open it (GET …/lessons has it unlocked)" }),
    durationSeconds: z.int().nullable().openapi({ description: "Video lessons, when the author gave it" }),
  })
  .openapi("SyllabusLesson");

const syllabusView = z
  .object({
    courseId: z.uuid(),
    instructor: z
      .object({
        id: z.uuid(),
        name: z.string().nullable().openapi({
          description: "The name the author goes by; null when the account was erased or the name cannot be told now",
        }),
      })
      .openapi("Instructor"),
    sections: z.array(sectionView),
    lessons: z.array(syllabusLesson),
  })
  .openapi("Syllabus");

type SyllabusView = z.infer<typeof syllabusView>;
/** What the course's cache keeps: the syllabus without the instructor's name (author-cache.ts keeps names). */
type SharedSyllabus = Omit<SyllabusView, "instructor"> & { readonly authorId: string };

const outline = defineRoute(
  publicRead("a published course's syllabus is public; drafts and archived courses are checked in the handler"),
  {
    method: "get",
    operationId: "getCourseOutline",
    path: "/api/courses/{id}/outline",
    summary: "A course's syllabus for its public page: sections, lessons (kind, duration, free preview), instructor",
    tags: ["courses"],
    request: { params: courseIdParam },
    responses: {
      200: {
        description:
          "The syllabus, never any lesson's content or media. A published course's is shared (`x-cache: hit|miss`, " +
          "`Cache-Control: public`); a draft for its author, or an archived course for a learner with access, is read " +
          "for the caller (`x-cache: bypass`, `private, no-store`)",
        content: json(syllabusView),
      },
      400: problem("Invalid id"),
      404: problem("No such course (or not visible to you)"),
    },
  },
);

function shareable({ course, sections, lessons }: Syllabus): SharedSyllabus {
  return { courseId: course.id, authorId: course.authorId, sections, lessons };
}

/**
 * The syllabus as the caller may see it, and whether it is the shared one: from the cache for
 * anyone but the course's editors, else one query, with the course page's visibility rules
 * (routes/course-page.ts). Only a published course's is ever put in the cache.
 */
async function syllabusFor(
  c: Context<CoursesEnv>,
  courseId: string,
): Promise<{ syllabus: SharedSyllabus; shared: boolean; hit: boolean }> {
  const principal = principalOf(c);
  const slot = await syllabusSlot<SharedSyllabus>(c.env.CATALOG_CACHE, courseId);
  if (slot.value && !canEdit({ authorId: slot.value.authorId }, principal)) {
    return { syllabus: slot.value, shared: true, hit: true };
  }
  const read = await readSyllabus(c.var.database().db, courseId, principal?.userId);
  const course = read?.course;
  const editor = course !== undefined && canEdit(course, principal);
  const visible =
    course !== undefined &&
    (course.status === "published" || editor || (course.status === "archived" && read?.viewerHasAccess === true));
  if (!read || !visible) throw new ProblemError("not-found", { detail: "No such course." });
  const syllabus = shareable(read);
  // The slot was taken before the read, so what was read is at least as new as its version.
  if (read.course.status === "published") c.executionCtx.waitUntil(slot.fill(syllabus));
  return { syllabus, shared: read.course.status === "published" && !editor, hit: false };
}

export const syllabusRoutes = new OpenAPIHono<CoursesEnv>().openapi(outline, async (c) => {
  const { syllabus, shared, hit } = await syllabusFor(c, c.req.valid("param").id);
  const { authorId, ...rest } = syllabus;
  const { name, cache } = await instructorName(c.env.USERS, c.env.CATALOG_CACHE, authorId, (write) =>
    c.executionCtx.waitUntil(write),
  );
  if (shared) cacheHeaders(c, "public", hit && cache === "hit" ? "hit" : "miss");
  else cacheHeaders(c, "personal", "bypass");
  return c.json({ ...rest, instructor: { id: authorId, name } } satisfies SyllabusView, 200);
});
