import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { CourseEditorsRpc } from "@platform/contracts";
import type { DatabaseBindings } from "@platform/db";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem, type DomainEnv } from "@platform/service-kit";
import type * as schema from "../db/schema.ts";
import { courseAnalytics } from "./analytics.ts";

/** What the analytics routes reach over service bindings: who may see a course's figures is the courses service's rule. */
export interface AnalyticsBindings {
  readonly COURSES: CourseEditorsRpc;
}

const lessonFiguresSchema = z.object({
  lessonId: z.uuid(),
  title: z.string(),
  position: z.int(),
  required: z.boolean(),
  reached: z.int().openapi({ description: "Learners with any progress recorded on this lesson" }),
  completed: z.int(),
  stoppedHere: z
    .int()
    .openapi({ description: "Learners who have not completed the course and got no further than this lesson" }),
  dropOff: z.boolean().openapi({ description: "The lesson where the most learners stopped (at most one)" }),
});

const analyticsSchema = z
  .object({
    courseId: z.uuid(),
    enrolled: z.int(),
    started: z.int(),
    completed: z.int(),
    completionRate: z.number().nullable().openapi({ description: "completed ÷ enrolled; null with nobody enrolled" }),
    medianSecondsToComplete: z
      .number()
      .nullable()
      .openapi({ description: "Median of completion minus first activity, in seconds; null until someone completed" }),
    lessons: z.array(lessonFiguresSchema),
  })
  .openapi("CourseAnalytics");

const unavailable = { ok: false, code: "unavailable" } as const;

const authorsOnly = "Only the course's author or an admin can see its analytics.";

const show = defineRoute(anyRole(["instructor", "admin"], authorsOnly), {
  method: "get",
  operationId: "getCourseAnalytics",
  path: "/api/progress/courses/{courseId}/analytics",
  summary: "A course's learners and lessons in figures: enrolled, started, completed, time to complete, drop-off",
  tags: ["analytics"],
  request: { params: z.object({ courseId: z.uuid() }) },
  responses: {
    200: { description: "The course's figures", content: json(analyticsSchema) },
    400: problem("Invalid course id"),
    404: problem("No such course"),
    503: problem("The courses service cannot tell who may see the figures right now"),
  },
});

export const analyticsRoutes = new OpenAPIHono<
  DomainEnv<DatabaseBindings & AnalyticsBindings, typeof schema>
>().openapi(show, async (c) => {
  const { courseId } = c.req.valid("param");
  const { userId, roles } = requirePrincipal(c);
  const permitted = await c.env.COURSES.mayEditCourse({ userId, roles }, courseId).catch(() => unavailable);
  if (!permitted.ok && permitted.code === "not-found")
    throw new ProblemError("not-found", { detail: "No such course." });
  if (!permitted.ok) {
    throw new ProblemError("service-unavailable", {
      detail: "Cannot check who may see this course's figures right now; try again.",
      headers: { "retry-after": "1" },
    });
  }
  if (!permitted.value) throw new ProblemError("forbidden", { detail: authorsOnly });
  const figures = await courseAnalytics(c.var.database().db, courseId);
  c.header("cache-control", "private, no-store");
  return c.json(figures, 200);
});
