import type { AuthRpc, CoursesRpc, ProgressRpc, UsersRpc } from "@platform/contracts";
import type { DatabaseBindings, EventsQueueBindings } from "@platform/db";
import type { DomainEnv } from "@platform/service-kit";
import type * as schema from "./db/schema.ts";

/**
 * What the notifications worker reaches (docs/notifications.md): its database and Queue, the services that
 * tell where and how to address a person, the progress worker's LiveHubs for in-app notices, and its settings.
 */
export interface NotificationsBindings extends DatabaseBindings, EventsQueueBindings {
  /** Where an account's mail goes (`mailRecipient`). */
  readonly AUTH: Pick<AuthRpc, "mailRecipient">;
  /** The person's name, locale and time zone (`contactProfile`). */
  readonly USERS: Pick<UsersRpc, "contactProfile">;
  /** A course's title and slug, for the links in a mail (`courseOutline`). */
  readonly COURSES: Pick<CoursesRpc, "courseOutline">;
  /** Each new in-app notice goes to the person's open devices (`publishLive`). */
  readonly PROGRESS: Pick<ProgressRpc, "publishLive">;

  /** The platform's public origin, for every link in a notice (`npm start`: the local gateway). */
  readonly PUBLIC_ORIGIN?: string;
  /** Who mail comes from, e.g. `Edge Learning <no-reply@learn.example.com>`. */
  readonly MAIL_FROM?: string;
  /** SMTP delivery (src/email): host, port, and optionally STARTTLS/implicit TLS and credentials. */
  readonly SMTP_HOST?: string;
  readonly SMTP_PORT?: string;
  /** `starttls` (default when credentials are set), `tls` (implicit, port 465) or `none` (loopback only). */
  readonly SMTP_SECURITY?: string;
  readonly SMTP_USERNAME?: string;
  readonly SMTP_PASSWORD?: string;
  /** An HTTP email API instead of SMTP when set (src/email): its key, and its base URL (a stand-in in tests). */
  readonly EMAIL_API_KEY?: string;
  readonly EMAIL_API_BASE?: string;
  /** Signs one-click unsubscribe links (≥ 32 characters). */
  readonly UNSUBSCRIBE_SECRET?: string;
  /** The ES256 private JWK (JSON) Web Push requests are signed with (RFC 8292); its public half is served to the site. */
  readonly VAPID_PRIVATE_KEY?: string;
  /** The VAPID `sub` claim: a `mailto:` or `https:` contact for push services. */
  readonly VAPID_SUBJECT?: string;
  /** Tests and local development only: push endpoints on these hosts (comma-separated, e.g. `127.0.0.1`) may be plain http. */
  readonly PUSH_INSECURE_HOSTS?: string;
  /** First retry delay of a refused delivery, doubling per attempt; and how many attempts before giving up. */
  readonly DELIVERY_RETRY_BASE_SECONDS?: string;
  readonly DELIVERY_MAX_ATTEMPTS?: string;
  /** Days a sent or failed delivery is kept after it was written (default 90; retention/delivery-retention.ts). */
  readonly DELIVERY_RETENTION_DAYS?: string;
}

export type NotificationsEnv = DomainEnv<NotificationsBindings, typeof schema>;
