import type { MailFrame, NoticeContent } from "./content.ts";

/** The plain-text part: the same words, each link as `label: URL` on its own line. Not HTML: nothing is escaped. */
export function renderText(content: NoticeContent, frame: MailFrame): string {
  const blocks = [
    frame.greeting,
    ...content.paragraphs,
    ...content.actions.map((action) => `${action.label}:\n${action.url}`),
  ];
  const closing = [
    frame.footer,
    ...(frame.unsubscribe ? [`${frame.unsubscribe.label}: ${frame.unsubscribe.url}`] : []),
  ];
  // "-- " is the conventional signature separator: clients fold what follows it away from replies.
  return `${blocks.join("\n\n")}\n\n-- \n${closing.join("\n")}\n`;
}
