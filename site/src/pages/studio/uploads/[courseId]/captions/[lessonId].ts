import type { APIContext, APIRoute } from "astro";
import { callApi, type ApiResult } from "../../../../../lib/api";
import { formText } from "../../../../../lib/forms";
import { forwardProblem, jsonAnswer, methodNotAllowed, problemAnswer } from "../../../../../lib/learning-responses";
import { safeReturnTo } from "../../../../../lib/return-to";
import { jsonBody, uploadRoute } from "../../_site-uploads";

/**
 * A video lesson's caption tracks (docs/courses.md "Captions and downloads"): the lesson's list is
 * replaced whole when written, so the site reads it (as the author, with each track's key),
 * changes it and writes it back.
 *
 * - `POST` JSON `{ key, language, label }`, from the uploader once a WebVTT upload is completed:
 *   adds the track, or replaces the one with the same label (an author uploading "English"
 *   again). Answers the lesson's tracks.
 * - `POST` form `intent=remove&key=…&returnTo=…`, from the media page's confirmed "Remove"
 *   button (no script needed): drops that track, then 303 back to the page.
 *
 * Two authors changing one lesson's tracks at the same moment can overwrite each other (the API
 * has no conditional write for lessons); the page each sees afterwards shows what was kept.
 */
interface Track {
  readonly language: string;
  readonly label: string;
  readonly key: string;
}

interface LessonTracks {
  readonly captions?: readonly Track[];
}

const lessonPath = (courseId: string, lessonId: string) => `/api/courses/${courseId}/lessons/${lessonId}`;
const tracksOf = (lesson: LessonTracks): Track[] =>
  (lesson.captions ?? []).map(({ language, label, key }) => ({ language, label, key }));

async function writeTracks(
  context: APIContext,
  courseId: string,
  lessonId: string,
  change: (tracks: Track[]) => Track[],
): Promise<ApiResult<LessonTracks>> {
  const read = await callApi<LessonTracks>(context, lessonPath(courseId, lessonId));
  if (!read.ok) return read;
  return callApi<LessonTracks>(context, lessonPath(courseId, lessonId), {
    method: "PATCH",
    json: { captions: change(tracksOf(read.data)) },
  });
}

function isForm(request: Request): boolean {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
}

async function removeByForm(context: APIContext, courseId: string, lessonId: string): Promise<Response> {
  const form = await context.request.formData().catch(() => null);
  const returnTo = safeReturnTo(form ? formText(form, "returnTo") : null, `/studio/uploads/${courseId}`);
  const back = (outcome: string) => {
    const url = new URL(returnTo, context.url);
    url.searchParams.set("captions", outcome);
    url.hash = `lesson-${lessonId}`;
    return context.redirect(url.pathname + url.search + url.hash, 303);
  };
  const key = form ? formText(form, "key") : "";
  if (!form || formText(form, "intent") !== "remove" || key === "") return back("remove-failed");
  const written = await writeTracks(context, courseId, lessonId, (tracks) => tracks.filter((t) => t.key !== key));
  return back(written.ok ? "removed" : "remove-failed");
}

export const POST: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId", "lessonId"]);
  if (!route.ok) return route.response;
  const { courseId = "", lessonId = "" } = route.ids;
  if (isForm(context.request)) return removeByForm(context, courseId, lessonId);

  const read = await jsonBody(context.request, 4096);
  if (!read.ok) return read.response;
  const { key, language, label } = read.body;
  const errors = [
    ...(typeof key === "string" && key !== "" ? [] : [{ path: "json.key", message: "the caption upload's key" }]),
    ...(typeof language === "string" && language.trim() !== ""
      ? []
      : [{ path: "json.language", message: "a language tag, such as en" }]),
    ...(typeof label === "string" && label.trim() !== "" ? [] : [{ path: "json.label", message: "a label" }]),
  ];
  if (errors.length > 0) return problemAnswer(400, "The caption track is not complete.", errors);
  const track: Track = { key: key as string, language: (language as string).trim(), label: (label as string).trim() };
  const written = await writeTracks(context, courseId, lessonId, (tracks) => {
    const at = tracks.findIndex((existing) => existing.label === track.label);
    if (at === -1) return [...tracks, track];
    return tracks.map((existing, index) => (index === at ? track : existing));
  });
  if (!written.ok) return forwardProblem(written.problem, "The caption track could not be added.", written.headers);
  return jsonAnswer({ captions: tracksOf(written.data) });
};

export const ALL: APIRoute = () => methodNotAllowed("POST");
