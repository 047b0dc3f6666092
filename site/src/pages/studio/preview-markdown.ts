import type { APIRoute } from "astro";
import { callApi } from "../../lib/api";
import { forwardProblem, jsonAnswer, methodNotAllowed, problemAnswer } from "../../lib/learning-responses";
import { isAuthor } from "../../lib/studio";

/**
 * `POST /studio/preview-markdown` `{ markdown }` → `{ html }`: the studio editor's live preview
 * (scripts/studio/markdown-preview.ts). The browser holds no token, so the site asks the courses
 * API (`POST /api/courses/preview-markdown`, authors only) as the signed-in author; the HTML is
 * the API renderer's, sanitised as a saved description or lesson is. Same-origin only: the
 * middleware refuses a cross-site POST before it gets here.
 */

/** The API's own limit (a text lesson's body), plus room for the JSON around it. */
const MAX_BODY_CHARS = 200_000 + 1_000;

export const POST: APIRoute = async (context) => {
  const session = context.locals.session;
  if (!session) return problemAnswer(401, "Sign in to preview.");
  if (!isAuthor(session)) return problemAnswer(403, "Only instructors and admins can preview course text.");
  if (!(context.request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return problemAnswer(415, "Send the text as application/json.");
  }
  const text = await context.request.text();
  if (text.length > MAX_BODY_CHARS) return problemAnswer(413, "The text is too long to preview.");
  let markdown: unknown;
  try {
    markdown = (JSON.parse(text) as { markdown?: unknown } | null)?.markdown;
  } catch {
    return problemAnswer(400, "The body is not valid JSON.");
  }
  if (typeof markdown !== "string") {
    return problemAnswer(400, "Send the text to preview.", [
      { path: "json.markdown", message: "the Markdown, as text" },
    ]);
  }
  const rendered = await callApi<{ html: string }>(context, "/api/courses/preview-markdown", { json: { markdown } });
  if (!rendered.ok)
    return forwardProblem(rendered.problem, "The preview is not available right now.", rendered.headers);
  return jsonAnswer({ html: rendered.data.html });
};

export const ALL: APIRoute = () => methodNotAllowed("POST");
