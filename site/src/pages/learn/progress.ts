import type { APIRoute } from "astro";
import { forwardProblem, jsonAnswer, methodNotAllowed, problemAnswer } from "../../lib/learning-responses";
import { PROGRESS_EVENTS, isUuid, readCourseProgress, recordProgress, type ProgressEvent } from "../../lib/progress";

/**
 * The player's line to the progress API, for the signed-in learner (the browser holds no token):
 *
 * - `POST /learn/progress` `{ lessonId, event, positionSeconds? }` records a view, a completion or
 *   the playback position (docs/progress.md) and answers the lesson's state and the course's percent;
 * - `GET /learn/progress?courseId=` answers every lesson's state and the percent, which the live
 *   view reloads after its socket missed messages.
 *
 * Same-origin only: the middleware refuses a cross-site POST before it gets here.
 */

/** A position update is a few dozen bytes; anything much larger is not from the player. */
const MAX_BODY_BYTES = 1024;

interface ValidBody {
  readonly lessonId: string;
  readonly event: ProgressEvent;
  readonly positionSeconds?: number;
}

type Checked = { readonly ok: true; readonly body: ValidBody } | { readonly ok: false; readonly response: Response };

async function readBody(request: Request): Promise<Checked> {
  const refuse = (status: number, detail: string, errors?: { path: string; message: string }[]) => ({
    ok: false as const,
    response: problemAnswer(status, detail, errors),
  });
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return refuse(415, "Send the progress as application/json.");
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return refuse(413, "The body is too large.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(400, "The body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return refuse(400, "The body must be a JSON object.");
  }
  const { lessonId, event, positionSeconds } = parsed as Record<string, unknown>;
  const errors: { path: string; message: string }[] = [];
  if (typeof lessonId !== "string" || !isUuid(lessonId))
    errors.push({ path: "json.lessonId", message: "a lesson id (UUID)" });
  if (typeof event !== "string" || !PROGRESS_EVENTS.includes(event as ProgressEvent)) {
    errors.push({ path: "json.event", message: `one of ${PROGRESS_EVENTS.join(", ")}` });
  }
  const position = positionSeconds;
  if (position !== undefined && (typeof position !== "number" || !Number.isFinite(position) || position < 0)) {
    errors.push({ path: "json.positionSeconds", message: "a number of seconds, 0 or more" });
  }
  if (event === "position" && position === undefined) {
    errors.push({ path: "json.positionSeconds", message: "a position update needs positionSeconds" });
  }
  if (errors.length > 0) return refuse(400, "The progress update is not valid.", errors);
  return {
    ok: true,
    body: {
      lessonId: lessonId as string,
      event: event as ProgressEvent,
      ...(typeof position === "number" && { positionSeconds: position }),
    },
  };
}

export const POST: APIRoute = async (context) => {
  if (!context.locals.session) return problemAnswer(401, "Sign in to save your progress.");
  const checked = await readBody(context.request);
  if (!checked.ok) return checked.response;
  const { lessonId, event, positionSeconds } = checked.body;
  const recorded = await recordProgress(context, lessonId, event, positionSeconds);
  if (!recorded.ok) return forwardProblem(recorded.problem, "Your progress could not be saved.", recorded.headers);
  const { state, courseId, completedAt, course } = recorded.data;
  return jsonAnswer({ lessonId, courseId, state, positionSeconds: recorded.data.positionSeconds, completedAt, course });
};

export const GET: APIRoute = async (context) => {
  if (!context.locals.session) return problemAnswer(401, "Sign in to see your progress.");
  const courseId = context.url.searchParams.get("courseId");
  if (!isUuid(courseId)) {
    return problemAnswer(400, "Which course?", [{ path: "query.courseId", message: "a course id (UUID)" }]);
  }
  const progress = await readCourseProgress(context, courseId);
  if (!progress.ok)
    return forwardProblem(progress.problem, "Your progress cannot be read right now.", progress.headers);
  const { percent, completedLessons, requiredLessons, completedAt, lessons } = progress.data;
  return jsonAnswer({
    courseId,
    percent,
    completedLessons,
    requiredLessons,
    completedAt,
    lessons: lessons.map(({ lessonId, state }) => ({ lessonId, state })),
  });
};

export const ALL: APIRoute = () => methodNotAllowed("GET, POST");
