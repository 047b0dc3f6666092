import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { renderMarkdown } from "../src/markdown.ts";
import { draftCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * The studio's Markdown preview (`POST /api/courses/preview-markdown`): the HTML a write would
 * store, from the same renderer and sanitiser, for authors only, and nothing stored.
 */

let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv });
});
afterAll(async () => {
  await cache?.dispose();
});

const HOSTILE =
  'Hi <script>alert("x")</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n**bold** [ok](https://example.com)';

const preview = (body: unknown, as = principal("instructor")) =>
  courses.request<{ html?: string; errors?: { path: string }[] }>("POST", "/api/courses/preview-markdown", {
    as,
    body,
  });

describe("POST /api/courses/preview-markdown", () => {
  it("answers exactly the HTML a description written with that Markdown stores: scripts escaped, unsafe links dropped", async () => {
    const author = principal("instructor");
    const answer = await preview({ markdown: HOSTILE }, author);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    expect(answer.body.html).toBe(renderMarkdown(HOSTILE));
    expect(answer.body.html).toContain("&lt;script&gt;");
    expect(answer.body.html).not.toContain("<script");
    expect(answer.body.html).not.toContain('href="javascript:');
    expect(answer.body.html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>');

    const course = await draftCourse(courses, author, { description: HOSTILE });
    expect(course.descriptionHtml).toBe(answer.body.html);
  });

  it("lets admins preview too, and renders an empty text to nothing", async () => {
    const answer = await preview({ markdown: "" }, principal("admin"));
    expect(answer.status).toBe(200);
    expect(answer.body.html).toBe("");
  });

  it("refuses anonymous callers (401) and learners (403)", async () => {
    const anonymous = await courses.request("POST", "/api/courses/preview-markdown", { body: { markdown: "x" } });
    expect(anonymous.status).toBe(401);
    const learner = await preview({ markdown: "x" }, principal("learner"));
    expect(learner.status).toBe(403);
  });

  it("refuses a missing, too long, unstorable or extra field with 400 naming it", async () => {
    const cases: [unknown, string][] = [
      [{}, "json.markdown"],
      [{ markdown: "x".repeat(200_001) }, "json.markdown"],
      [{ markdown: "nul \u0000 inside" }, "json.markdown"],
      [{ markdown: "x", html: "<b>" }, "json"],
    ];
    for (const [body, path] of cases) {
      const answer = await preview(body);
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.body.errors?.map((error) => error.path).join(" "), path).toContain(path);
    }
  });
});
