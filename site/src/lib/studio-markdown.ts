import { callApi, type ApiCaller } from "./api";

/**
 * The HTML the courses API would store for this Markdown (`POST /api/courses/preview-markdown`):
 * what a posted "Preview" shows when the page has no script. Undefined when the API cannot say;
 * the page then keeps the form and says the preview is unavailable.
 */
export async function previewMarkdown(caller: ApiCaller, markdown: string): Promise<string | undefined> {
  const rendered = await callApi<{ html: string }>(caller, "/api/courses/preview-markdown", { json: { markdown } });
  return rendered.ok ? rendered.data.html : undefined;
}

/**
 * A posted "Preview": the rendered HTML to show, or — the API could not render it — the preview
 * shown before (`fallback`), flagged so the page says the preview is unavailable.
 */
export async function postedPreview(
  caller: ApiCaller,
  markdown: string,
  fallback: string,
): Promise<{ previewHtml: string; previewFailed: boolean }> {
  const html = await previewMarkdown(caller, markdown);
  return { previewHtml: html ?? fallback, previewFailed: html === undefined };
}
