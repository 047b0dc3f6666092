import type { APIRoute } from "astro";
import { apiFetch, type Problem } from "../../../../../../lib/api";
import { forwardProblem, jsonAnswer, methodNotAllowed, problemAnswer } from "../../../../../../lib/learning-responses";
import { apiUploadPath, uploadRoute } from "../../../_site-uploads";

/**
 * `PUT /studio/uploads/{courseId}/{uploadId}/parts/{n}`: one part's raw bytes, streamed on to the
 * courses API's proxied part route (`PUT /api/courses/{id}/uploads/{uploadId}/parts/{n}`) with the
 * session's token. The browser cannot call that route itself: it holds no token.
 *
 * The body is never read here: the request's own stream, whose length the runtime knows from its
 * Content-Length, becomes the body of the API call, so a part flows through in chunks and the
 * site holds no more of it than the runtime buffers (a part is 10 MiB, at most 95 MiB; the
 * gateway lets this route's bodies through its 1 MiB limit like the API's part route, and
 * refuses one without a length). The API checks the length is exactly the part's and stores it.
 */
const MAX_PARTS = 10_000;

/**
 * A refusal sent before the part's body was read: the body is read to its end first (and
 * dropped, chunk by chunk). Answering while the browser is still sending would make the runtime
 * close the connection under it, and the browser would see a network error, which the uploader
 * retries, instead of the refusal (a session that ended: sign in again).
 */
async function refuse(request: Request, answer: Response): Promise<Response> {
  await request.body?.pipeTo(new WritableStream()).catch(() => {});
  return answer;
}

export const PUT: APIRoute = async (context) => {
  const route = uploadRoute(context, ["courseId", "uploadId"]);
  if (!route.ok) return refuse(context.request, route.response);
  const partNumber = Number(context.params.partNumber);
  if (!/^\d{1,5}$/.test(context.params.partNumber ?? "") || partNumber < 1 || partNumber > MAX_PARTS) {
    const errors = [{ path: "param.partNumber", message: `a part number from 1 to ${MAX_PARTS}` }];
    return refuse(context.request, problemAnswer(400, "The address names no part.", errors));
  }
  const length = context.request.headers.get("content-length");
  if (length === null || !/^\d+$/.test(length) || !context.request.body) {
    return problemAnswer(411, "Send the part with its Content-Length.");
  }
  const { courseId = "", uploadId = "" } = route.ids;
  const session = context.locals.session;
  let answer: Response;
  try {
    answer = await apiFetch(context.request, apiUploadPath(courseId, uploadId, `/parts/${partNumber}`), {
      method: "PUT",
      headers: {
        accept: "application/json",
        authorization: `Bearer ${session?.accessToken ?? ""}`,
        "content-type": "application/octet-stream",
        "content-length": length,
      },
      body: context.request.body,
      // A streamed request body (fetch's rule; the Workers runtime streams it either way).
      duplex: "half",
    } as RequestInit);
  } catch {
    // The browser went away mid-part, or the API could not be reached: the script sends it again.
    return problemAnswer(502, `Part ${partNumber} did not reach storage; send it again.`);
  }
  const text = await answer.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!answer.ok) {
    const problem = typeof body === "object" && body !== null ? (body as Omit<Problem, "status">) : {};
    return forwardProblem({ ...problem, status: answer.status }, `Part ${partNumber} was not stored.`, answer.headers);
  }
  const stored = body as { partNumber: number; sizeBytes: number; etag: string };
  return jsonAnswer({ partNumber: stored.partNumber, sizeBytes: stored.sizeBytes, etag: stored.etag });
};

export const ALL: APIRoute = () => methodNotAllowed("PUT");
