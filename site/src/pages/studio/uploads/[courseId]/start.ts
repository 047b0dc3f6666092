import type { APIRoute } from "astro";
import { callApi } from "../../../../lib/api";
import { methodNotAllowed } from "../../../../lib/learning-responses";
import { apiUploadPath, jsonBody, pick, uploadAnswer, uploadRoute, type ApiUpload } from "../_site-uploads";

/**
 * `POST /studio/uploads/{courseId}/start` `{ fileName, contentType, sizeBytes, purpose }`: starts a
 * resumable upload as the signed-in author (`POST /api/courses/{id}/uploads`). Answers 201 with
 * the upload and where to send each part; the API's refusals (a type that may not be uploaded,
 * too large, not the author) come back as its problems.
 */
export const POST: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId"]);
  if (!route.ok) return route.response;
  const read = await jsonBody(context.request, 4096);
  if (!read.ok) return read.response;
  const started = await callApi<ApiUpload>(context, apiUploadPath(route.ids.courseId ?? ""), {
    json: pick(read.body, ["fileName", "contentType", "sizeBytes", "purpose"]),
    // Starting asks R2 for a multipart upload as well as writing a row.
    timeoutMs: 15_000,
  });
  return uploadAnswer(started, "The upload could not be started.", 201);
};

export const ALL: APIRoute = () => methodNotAllowed("POST");
