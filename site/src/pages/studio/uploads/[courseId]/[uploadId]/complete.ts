import type { APIRoute } from "astro";
import { callApi } from "../../../../../lib/api";
import { methodNotAllowed } from "../../../../../lib/learning-responses";
import { apiUploadPath, jsonBody, pick, uploadAnswer, uploadRoute, type ApiUpload } from "../../_site-uploads";

/**
 * `POST /studio/uploads/{courseId}/{uploadId}/complete` `{ lessonId?, purpose?, parts? }`:
 * completes the upload and attaches it to a lesson or as the cover (`…/complete` of the API,
 * idempotent). `parts` are the ETags R2 answered, for presigned uploads only: at most 10,000
 * short entries, well under the gateway's 1 MiB limit for the site's bodies.
 */
const MAX_BODY_BYTES = 1024 * 1024;

export const POST: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId", "uploadId"]);
  if (!route.ok) return route.response;
  const read = await jsonBody(context.request, MAX_BODY_BYTES, { optional: true });
  if (!read.ok) return read.response;
  const { courseId = "", uploadId = "" } = route.ids;
  const completed = await callApi<ApiUpload>(context, apiUploadPath(courseId, uploadId, "/complete"), {
    json: pick(read.body, ["lessonId", "purpose", "parts"]),
    // R2 assembles the parts of a multi-gigabyte file before it answers.
    timeoutMs: 60_000,
  });
  return uploadAnswer(completed, "The upload could not be completed.");
};

export const ALL: APIRoute = () => methodNotAllowed("POST");
