import { OpenAPIHono } from "@hono/zod-openapi";
import { metricsOf, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { ProgressEnv } from "../env.ts";
import { messagesFor, pushAll } from "../live-notices.ts";
import { recordProgress } from "../record-progress.ts";
import { eventContext, lessonIdParam, lessonProgressSchema, progressBody } from "./schemas.ts";

const record = defineRoute(signedIn, {
  method: "post",
  operationId: "recordLessonProgress",
  path: "/api/progress/lessons/{lessonId}",
  summary: "Record a view, a completion or the playback position of a lesson",
  description:
    "Idempotent: completing a completed lesson changes nothing. The first view emits LESSON_VIEWED, each lesson's first " +
    "completion LESSON_COMPLETED, and the completion of the course's last required lesson COURSE_COMPLETED, once. " +
    "Positions emit nothing. Every change is pushed to the learner's open devices (GET /api/live).",
  tags: ["progress"],
  request: { params: lessonIdParam, body: { required: true, content: json(progressBody) } },
  responses: {
    200: { description: "The lesson's state for this learner, and the course's", content: json(lessonProgressSchema) },
    400: problem("Invalid input: the event, or a position below 0, past the lesson's duration or not a number"),
    403: problem("No access to the lesson's course (a free preview is open to anyone signed in)"),
    404: problem("No such lesson"),
    503: problem("The database or the courses service cannot be reached; nothing was changed"),
  },
});

const metrics = metricsOf("progress");

export const lessonRoutes = new OpenAPIHono<ProgressEnv>().openapi(record, async (c) => {
  const { userId } = requirePrincipal(c);
  const outcome = await recordProgress(
    c.var.database().db,
    c.env.COURSES,
    userId,
    c.req.valid("param").lessonId,
    c.req.valid("json"),
    eventContext(c),
  );
  // Committed by now: the course's completion happened in this request, once per learner and course.
  if (outcome.firsts.courseCompleted) metrics.count(c.env, "progress_course_completions_total", {});
  const messages = messagesFor(outcome);
  // After the response, so a hub that is slow or down never holds up or fails the write.
  if (messages.length > 0) c.executionCtx.waitUntil(pushAll(c.env, userId, messages, c.var.correlationId));
  return c.json({ ...outcome.lesson, course: outcome.course }, 200);
});
