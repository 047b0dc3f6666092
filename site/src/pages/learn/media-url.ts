import type { APIRoute } from "astro";
import { callApi } from "../../lib/api";
import type { LessonContent } from "../../lib/learning";
import { forwardProblem, jsonAnswer, methodNotAllowed, problemAnswer } from "../../lib/learning-responses";
import { isUuid } from "../../lib/progress";

/**
 * `GET /learn/media-url?courseId=&lessonId=`: the lesson's media links, freshly signed for the
 * visitor, for the player to swap in when a link expired mid-video (the media route answered 403
 * to a range request and the `<video>` reported an error). The courses API signs them
 * (`GET /api/courses/{id}/lessons/{lessonId}`), as the visitor: a learner whose access ended gets
 * the lesson locked, and so no link.
 */
export const GET: APIRoute = async (context) => {
  const courseId = context.url.searchParams.get("courseId");
  const lessonId = context.url.searchParams.get("lessonId");
  const errors = [
    ...(isUuid(courseId) ? [] : [{ path: "query.courseId", message: "a course id (UUID)" }]),
    ...(isUuid(lessonId) ? [] : [{ path: "query.lessonId", message: "a lesson id (UUID)" }]),
  ];
  if (errors.length > 0) return problemAnswer(400, "Which lesson?", errors);
  const read = await callApi<LessonContent>(context, `/api/courses/${courseId}/lessons/${lessonId}`);
  if (!read.ok) return forwardProblem(read.problem, "The lesson cannot be read right now.", read.headers);
  const lesson = read.data;
  if (lesson.locked || !lesson.mediaUrl) {
    return problemAnswer(403, "This lesson's media is not open to you.");
  }
  return jsonAnswer({
    mediaUrl: lesson.mediaUrl,
    captions: (lesson.captions ?? []).map(({ language, label, url }) => ({ language, label, url })),
    urlsExpireAt: lesson.urlsExpireAt ?? null,
  });
};

export const ALL: APIRoute = () => methodNotAllowed("GET");
