/** A mail ready to hand to a transport: rendered, addressed, with its extra headers (List-Unsubscribe…). */
export interface OutgoingEmail {
  /** `Name <address>` or a bare address. */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers, e.g. `List-Unsubscribe`, `List-Unsubscribe-Post`; never `From`/`To`/`Subject`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Stable per delivery, so a retried attempt carries the same `Message-ID` (a receiver can dedupe). */
  readonly messageId: string;
}

/**
 * What an attempt came to. `temporary`: refused for now (SMTP 4xx, HTTP 429/5xx, a network error): try
 * again later. `permanent`: refused for good (SMTP 5xx, a bad address, HTTP 4xx): never retried.
 */
export type SendResult =
  | { readonly outcome: "accepted"; readonly providerId: string }
  | { readonly outcome: "temporary"; readonly error: string }
  | { readonly outcome: "permanent"; readonly error: string };

/** One way mail leaves the platform (SMTP, an HTTP email API); chosen from the worker's settings. */
export interface EmailTransport {
  readonly name: string;
  send(message: OutgoingEmail): Promise<SendResult>;
}
