import { OpenAPIHono } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import { readCourseProgress } from "../course-progress.ts";
import type { ProgressEnv } from "../env.ts";
import { readMyLearning } from "../my-learning.ts";
import { courseIdParam, courseProgressSchema, myLearningQuery, myLearningSchema } from "./schemas.ts";

const courseProgress = defineRoute(signedIn, {
  method: "get",
  operationId: "getCourseProgress",
  path: "/api/progress/courses/{courseId}",
  summary: "Your progress through a course: each lesson's state and position, the percent, the next lesson",
  tags: ["progress"],
  request: { params: courseIdParam },
  responses: {
    200: { description: "Your progress", content: json(courseProgressSchema) },
    400: problem("Invalid id"),
    404: problem("No such published course"),
    503: problem("The database or the courses service cannot be reached"),
  },
});

const myLearning = defineRoute(signedIn, {
  method: "get",
  operationId: "listMyLearning",
  path: "/api/progress/me",
  summary: "My learning: every course you may learn now, the most recent activity first",
  description:
    "Courses you bought, joined for free, were enrolled in by an integrator, or started under a subscription. A " +
    "course whose access ended (a refund) is not listed; its progress is kept.",
  tags: ["progress"],
  request: { query: myLearningQuery },
  responses: {
    200: { description: "A page of your courses", content: json(myLearningSchema) },
    400: problem("Invalid cursor or limit"),
    503: problem("The database or the courses service cannot be reached"),
  },
});

export const courseRoutes = new OpenAPIHono<ProgressEnv>()
  .openapi(myLearning, async (c) => {
    const { userId } = requirePrincipal(c);
    const { cursor, limit } = c.req.valid("query");
    return c.json(await readMyLearning(c.var.database().db, c.env.COURSES, userId, { cursor, limit }), 200);
  })
  .openapi(courseProgress, async (c) => {
    const { userId } = requirePrincipal(c);
    const view = await readCourseProgress(c.var.database().db, c.env.COURSES, userId, c.req.valid("param").courseId);
    return c.json(view, 200);
  });
