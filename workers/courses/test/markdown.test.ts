import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/markdown.ts";

describe("lesson and description Markdown", () => {
  it("renders what authors write", () => {
    expect(renderMarkdown("# Title\n\nSome *emphasis* and `code`.")).toBe(
      "<h1>Title</h1>\n<p>Some <em>emphasis</em> and <code>code</code>.</p>\n",
    );
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>"],
    ["an event handler", '<img src="x" onerror="alert(1)">'],
    ["an iframe", '<iframe src="https://evil.example"></iframe>'],
    ["a style attack", "<style>body{display:none}</style>"],
  ])("escapes %s instead of passing it through", (_case, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<(script|img|iframe|style)\b/i);
    expect(html).toContain("&lt;");
  });

  it.each([
    ["javascript:", "[click](javascript:alert(1))"],
    ["JaVaScRiPt: with entities", "[click](JaVaScRiPt&#58;alert(1))"],
    ["vbscript:", "[click](vbscript:msgbox(1))"],
    ["data:text/html", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ])("drops a %s link", (_case, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
    expect(html).not.toContain("<a ");
  });

  it("keeps ordinary links, marked so the target cannot reach back", () => {
    expect(renderMarkdown("[docs](https://hono.dev)")).toBe(
      '<p><a href="https://hono.dev" rel="noopener noreferrer nofollow">docs</a></p>\n',
    );
  });
});
