import type { MailFrame, NoticeContent } from "./content.ts";
import { escapeHtml } from "./escape-html.ts";

// Inline styles only: many mail clients drop <style> blocks. No tables: a single centred column with
// max-width reads well on phones and in clients that ignore media queries.
const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const PARAGRAPH = "margin:0 0 16px;font-size:16px;line-height:1.5;color:#18181b";
const BUTTON =
  "display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px";
const SECONDARY = "color:#1d4ed8;text-decoration:underline";
const SMALL = "margin:0 0 8px;font-size:13px;line-height:1.5;color:#52525b";

/** The HTML part: escaped text, a visible button per link and each link's URL written out, an optional unsubscribe line. */
export function renderHtml(language: string, content: NoticeContent, frame: MailFrame): string {
  const paragraphs = [frame.greeting, ...content.paragraphs]
    .map((text) => `<p style="${PARAGRAPH}">${escapeHtml(text)}</p>`)
    .join("\n");
  const actions = content.actions
    .map((action, index) => {
      const url = escapeHtml(action.url);
      const style = index === 0 ? BUTTON : SECONDARY;
      return [
        `<p style="margin:24px 0 8px"><a href="${url}" style="${style}">${escapeHtml(action.label)}</a></p>`,
        `<p style="${SMALL}">${escapeHtml(frame.copyLinkHint)}<br><a href="${url}" style="color:#1d4ed8;word-break:break-all">${url}</a></p>`,
      ].join("\n");
    })
    .join("\n");
  const unsubscribe = frame.unsubscribe
    ? `<p style="${SMALL}"><a href="${escapeHtml(frame.unsubscribe.url)}" style="color:#52525b">${escapeHtml(frame.unsubscribe.label)}</a>: <span style="word-break:break-all">${escapeHtml(frame.unsubscribe.url)}</span></p>`
    : "";
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5">
<div role="article" aria-roledescription="email" aria-label="${escapeHtml(content.subject)}" lang="${escapeHtml(language)}" style="max-width:600px;margin:0 auto;padding:24px 16px;${FONT}">
<main style="background:#ffffff;border-radius:8px;padding:24px">
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#18181b">${escapeHtml(content.heading)}</h1>
${[paragraphs, actions].filter(Boolean).join("\n")}
</main>
<footer style="padding:16px 8px">
${[`<p style="${SMALL}">${escapeHtml(frame.footer)}</p>`, unsubscribe].filter(Boolean).join("\n")}
</footer>
</div>
</body>
</html>
`;
}
