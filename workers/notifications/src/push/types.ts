/** A browser's push subscription as stored (RFC 8030 endpoint; RFC 8291 keys, base64url). */
export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** What a notice's push shows (the site's service worker displays it). */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  /** Opened when the notification is clicked: a path on the platform's origin. */
  readonly url: string | null;
  /** The in-app notice it mirrors, so the site can mark it read. */
  readonly noticeId: string | null;
}

/**
 * What an attempt came to. `gone`: the push service answered 404 or 410, the subscription is dead and must be
 * removed. `temporary`: 429/5xx or a network error. `permanent`: any other refusal (a payload too large…).
 */
export type PushResult =
  | { readonly outcome: "accepted"; readonly providerId: string }
  | { readonly outcome: "gone"; readonly error: string }
  | { readonly outcome: "temporary"; readonly error: string }
  | { readonly outcome: "permanent"; readonly error: string };
