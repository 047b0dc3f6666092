import type { APIRoute } from "astro";
import { callApi } from "../../../../../lib/api";
import { forwardProblem, methodNotAllowed } from "../../../../../lib/learning-responses";
import { apiUploadPath, uploadAnswer, uploadRoute, type ApiUpload } from "../../_site-uploads";

/**
 * `GET /studio/uploads/{courseId}/{uploadId}`: the upload's progress — the parts stored and where
 * to send the rest — which is how the uploader resumes after a reload or a dropped connection.
 * `DELETE` aborts it (the parts sent are discarded).
 */
export const GET: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId", "uploadId"]);
  if (!route.ok) return route.response;
  const { courseId = "", uploadId = "" } = route.ids;
  const read = await callApi<ApiUpload>(context, apiUploadPath(courseId, uploadId));
  return uploadAnswer(read, "The upload cannot be read right now.");
};

export const DELETE: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId", "uploadId"]);
  if (!route.ok) return route.response;
  const { courseId = "", uploadId = "" } = route.ids;
  const aborted = await callApi(context, apiUploadPath(courseId, uploadId), { method: "DELETE", timeoutMs: 15_000 });
  if (!aborted.ok) return forwardProblem(aborted.problem, "The upload could not be cancelled.", aborted.headers);
  return new Response(null, { status: 204, headers: { "cache-control": "private, no-store" } });
};

export const ALL: APIRoute = () => methodNotAllowed("GET, DELETE");
