/** A message the mailbox accepted, as the control API returns it. */
export interface ReceivedMail {
  /** The queue id the server answered DATA with (`250 Message queued as <id>`): the sender's provider id. */
  readonly id: string;
  /** The SMTP envelope: who the client said it was from, and every RCPT TO. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The From and To headers as written (`Edge Learning <no-reply@…>`). */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Header lines by lower-case name, unfolded; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The Date header, ISO 8601, or null. */
  readonly date: string | null;
  readonly messageId: string | null;
  /** When the mailbox accepted it, ISO 8601. */
  readonly receivedAt: string;
  /** The message exactly as it arrived (after the SMTP layer undid dot-stuffing). */
  readonly raw: string;
}

/** A scripted refusal: at `stage`, for `address` (any when absent), answer `code` — `times` times, or always. */
export interface RefusalRule {
  readonly stage: "mail" | "rcpt" | "data";
  readonly address?: string;
  /** An SMTP reply code: 4xx (try later) or 5xx (never). */
  readonly code: number;
  readonly message?: string;
  readonly times?: number;
}
