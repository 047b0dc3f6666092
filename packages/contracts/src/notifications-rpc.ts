import type { RpcResult } from "./auth-rpc.ts";
import type { EventConsumerRpc } from "./event-consumer.ts";
import type { NotificationRecords } from "./personal-data.ts";

/**
 * The account mails the auth worker asks for (docs/notifications.md). They are `security` mail:
 * nobody can turn them off, and they carry no unsubscribe link. Links are absolute URLs on the
 * platform's origin that auth builds (it owns the tokens in them); the notifications worker renders
 * them into its templates, in the recipient's locale, and delivers with retries.
 */
export type AccountMail =
  /** After registration, or when asked again: confirm the address. */
  | { readonly template: "verify-email"; readonly data: { readonly verifyUrl: string; readonly expiresAt: string } }
  /** A reset was asked for an address that has an account. */
  | { readonly template: "password-reset"; readonly data: { readonly resetUrl: string; readonly expiresAt: string } }
  /** Someone tried to register an address that already has an account: its owner is told, nobody else learns it. */
  | { readonly template: "account-exists"; readonly data: { readonly signInUrl: string; readonly resetUrl: string } }
  /** The password was changed or reset. */
  | { readonly template: "password-changed"; readonly data: { readonly changedAt: string } }
  /** Sent to the new address of an email change: confirming it makes the change. */
  | {
      readonly template: "email-change-verify";
      readonly data: { readonly verifyUrl: string; readonly expiresAt: string };
    }
  /** Sent to the old address once the change is made. `newEmail` is shown masked (`a•••@example.com`). */
  | { readonly template: "email-changed"; readonly data: { readonly newEmail: string; readonly changedAt: string } };

export type AccountMailTemplate = AccountMail["template"];

export interface AccountMailRequest {
  /** The account the mail is about. */
  readonly userId: string;
  /** Where it goes: explicit, because an address change mails both the old and the new address. */
  readonly to: string;
  /**
   * A BCP 47 tag to use when the person has no profile locale yet (right after registration):
   * the first language of the request's `Accept-Language`. The profile's locale wins when there is one.
   */
  readonly localeHint?: string;
  readonly mail: AccountMail;
}

export interface DueDeliveriesReport {
  /** Deliveries whose time had come and that this call tried. */
  readonly attempted: number;
  readonly sent: number;
  /** Refused for good (5xx, bad address, a push endpoint that is gone) or out of attempts. */
  readonly failed: number;
  /** Refused for now (4xx, a network error): tried again later, with backoff. */
  readonly rescheduled: number;
}

/** What the notifications worker offers other workers over RPC, beside consuming events. */
export interface NotificationsRpc extends EventConsumerRpc {
  /**
   * Records an account mail for delivery and tries it at once; resolves when the mail is recorded
   * (not when it is delivered: a refused attempt is retried by the sweep). `invalid_request`: not an
   * account mail this worker knows, or data its template refuses.
   */
  sendAccountMail(
    request: AccountMailRequest,
    correlationId: string,
  ): Promise<RpcResult<{ readonly deliveryId: string }, "invalid_request" | "unavailable">>;
  /** The cron's delivery chore (through the gateway's binding): tries every pending delivery whose time has come. */
  sendDueDeliveries(): Promise<DueDeliveriesReport>;
  /**
   * What this worker keeps about a person, for their data export (the users worker asks): preferences,
   * in-app notices, push subscriptions and the delivery log.
   */
  notificationRecords(userId: string): Promise<RpcResult<NotificationRecords, "unavailable">>;
}
