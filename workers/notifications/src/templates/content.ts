/** A link a person can follow: shown as a button in HTML, written out in full in both parts. */
export interface Action {
  readonly label: string;
  readonly url: string;
}

/**
 * What one template says in one language, before it is laid out: the same words serve the mail's
 * HTML and text parts, the in-app notice and the push message, so the channels cannot disagree.
 */
export interface NoticeContent {
  readonly subject: string;
  readonly heading: string;
  /** Plain text; escaped when laid into HTML. */
  readonly paragraphs: readonly string[];
  /** The first is the main call to action. */
  readonly actions: readonly Action[];
  readonly inApp: { readonly title: string; readonly body: string; readonly link: string | null };
  /** Defaults to the in-app notice; short, since a lock screen shows two lines. */
  readonly push?: { readonly title: string; readonly body: string; readonly url: string | null };
}

/** The words around a notice in a mail, in its language: the greeting, the footer, the unsubscribe line. */
export interface MailFrame {
  readonly greeting: string;
  readonly footer: string;
  readonly copyLinkHint: string;
  readonly unsubscribe: { readonly label: string; readonly url: string } | null;
}
