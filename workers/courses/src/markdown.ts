import MarkdownIt from "markdown-it";

/**
 * Lesson text is the author's Markdown, rendered to HTML when read. Raw HTML in the source is
 * never passed through (`html: false` escapes it), and markdown-it's link check refuses
 * `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs, so no script written into a
 * lesson can reach a learner's page. Links open without handing over the page (`rel`).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));

markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]?.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderLessonMarkdown(source: string): string {
  return markdown.render(source);
}
