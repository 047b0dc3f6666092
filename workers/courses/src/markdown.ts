import MarkdownIt from "markdown-it";

/**
 * Lesson text and course descriptions are the author's Markdown, rendered to HTML here once,
 * when they are written, and stored beside the source (`lessons.body_html`,
 * `courses.description_html`): reads serve the stored HTML and never load this module. Rows
 * written before that are filled by the migration step's backfill (db/backfill.ts).
 *
 * Raw HTML in the source is never passed through (`html: false` escapes it), and markdown-it's
 * link check refuses `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs, so no script
 * written into a lesson can reach a learner's page. Links open without handing over the page
 * (`rel`). A change here that makes stored HTML unsafe or wrong needs a migration that sets the
 * html columns back to null, so the backfill renders every row again.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));

markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]?.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
