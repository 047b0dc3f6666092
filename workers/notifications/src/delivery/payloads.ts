/**
 * What a `deliveries` row keeps in `payload`, per channel: the message exactly as it goes out, rendered when the
 * cause was consumed. A retry sends the same thing; a template error surfaced before any row was written.
 */

/** An email's rendered parts and its extra headers (List-Unsubscribe…); sender and Message-ID are added at send. */
export interface EmailDeliveryPayload {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A Web Push message (src/push/types.ts `PushPayload`). */
export interface PushDeliveryPayload {
  readonly title: string;
  readonly body: string;
  readonly url: string | null;
  readonly noticeId: string | null;
}

/**
 * An in-app notice as the person's open devices are told of it. It carries the whole notice so a notice that was
 * scheduled (subscription-ended, at the period's end) can be put in the inbox when its time comes.
 */
export interface InAppDeliveryPayload {
  readonly noticeId: string;
  readonly category: string;
  readonly template: string;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly causedBy: string | null;
}
