import { OpenAPIHono, z } from "@hono/zod-openapi";
import { defineRoute, json, problem } from "@platform/service-kit";
import type { CoursesEnv } from "../env.ts";
import { renderMarkdown } from "../markdown.ts";
import { authors } from "./schemas.ts";

/**
 * What an author's Markdown will look like once saved: the studio's editor shows it beside the
 * textarea. It is the renderer the writes use (markdown.ts), so the preview is exactly the HTML a
 * learner will get, sanitised the same way; nothing is stored. Authors only: it is an editing
 * tool, and a public renderer would be free compute for anyone. The limit is the largest body a
 * write takes (a text lesson's).
 */
const previewBody = z
  .object({ markdown: z.string().max(200_000).openapi({ description: "A description or a text lesson's body" }) })
  .strict();

const preview = defineRoute(authors, {
  method: "post",
  operationId: "previewMarkdown",
  path: "/api/courses/preview-markdown",
  summary: "Render Markdown as a course description or text lesson would be rendered (authors; nothing is stored)",
  tags: ["courses"],
  request: { body: { required: true, content: json(previewBody) } },
  responses: {
    200: {
      description: "The sanitised HTML",
      content: json(z.object({ html: z.string() }).openapi("MarkdownPreview")),
    },
    400: problem("Invalid input"),
  },
});

export const markdownPreviewRoutes = new OpenAPIHono<CoursesEnv>().openapi(preview, (c) => {
  c.header("cache-control", "private, no-store");
  return c.json({ html: renderMarkdown(c.req.valid("json").markdown) }, 200);
});
