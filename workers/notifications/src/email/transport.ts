import type { NotificationsBindings } from "../env.ts";
import { RESEND_API_BASE, resendTransport } from "./resend-transport.ts";
import type { SmtpSettings } from "./smtp-client.ts";
import { smtpTransport } from "./smtp-transport.ts";
import type { SocketConnector } from "./socket.ts";
import type { EmailTransport, OutgoingEmail } from "./types.ts";

export type { SocketConnector, SocketLike, SocketOptions } from "./socket.ts";

type MailSettings = Pick<
  NotificationsBindings,
  | "PUBLIC_ORIGIN"
  | "MAIL_FROM"
  | "SMTP_HOST"
  | "SMTP_PORT"
  | "SMTP_SECURITY"
  | "SMTP_USERNAME"
  | "SMTP_PASSWORD"
  | "EMAIL_API_KEY"
  | "EMAIL_API_BASE"
>;

/** Long enough for a slow relay's greeting; short enough that a hung server does not hold a delivery run. */
const STEP_TIMEOUT_MS = 15_000;

export class MailSettingsError extends Error {
  override readonly name = "MailSettingsError";
}

function smtpSettings(env: MailSettings): SmtpSettings {
  const security = env.SMTP_SECURITY ?? (env.SMTP_USERNAME ? "starttls" : "none");
  if (security !== "none" && security !== "starttls" && security !== "tls") {
    throw new MailSettingsError(`SMTP_SECURITY must be none, starttls or tls, got "${security}"`);
  }
  const port = Number(env.SMTP_PORT ?? (security === "tls" ? 465 : security === "starttls" ? 587 : 25));
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new MailSettingsError(`SMTP_PORT must be a port number, got "${env.SMTP_PORT}"`);
  }
  return {
    host: env.SMTP_HOST ?? "",
    port,
    security,
    ...(env.SMTP_USERNAME && { username: env.SMTP_USERNAME, password: env.SMTP_PASSWORD ?? "" }),
    clientName: env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).hostname : "localhost",
    timeoutMs: STEP_TIMEOUT_MS,
  };
}

/**
 * How mail leaves, from the worker's settings: the HTTP email API when EMAIL_API_KEY is set, else SMTP
 * when SMTP_HOST is, else null (mail is then recorded as failed: "no mail transport configured").
 * `connect` opens TCP connections for SMTP: cloudflare:sockets in the worker, node:net in tests.
 */
export function emailTransportFrom(env: MailSettings, connect?: SocketConnector): EmailTransport | null {
  if (env.EMAIL_API_KEY) {
    return resendTransport({
      apiKey: env.EMAIL_API_KEY,
      baseUrl: env.EMAIL_API_BASE || RESEND_API_BASE,
      timeoutMs: STEP_TIMEOUT_MS,
    });
  }
  if (env.SMTP_HOST && connect) return smtpTransport(smtpSettings(env), connect);
  return null;
}

/** Who mail comes from: MAIL_FROM, else `Edge Learning <no-reply@{host of PUBLIC_ORIGIN}>`. */
export function senderAddress(env: Pick<NotificationsBindings, "MAIL_FROM" | "PUBLIC_ORIGIN">): string {
  if (env.MAIL_FROM) return env.MAIL_FROM;
  const host = env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).hostname : "localhost";
  return `Edge Learning <no-reply@${host}>`;
}

export interface OutgoingEmailInput {
  readonly to: string;
  readonly email: { readonly subject: string; readonly html: string; readonly text: string };
  /** The delivery's id: the Message-ID is made from it, so every attempt carries the same one. */
  readonly deliveryId: string;
  /** Extra headers, e.g. listUnsubscribeHeaders(url) from unsubscribe/links.ts. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A rendered notice, addressed: the sender from the settings, a Message-ID stable per delivery. */
export function buildOutgoingEmail(
  env: Pick<NotificationsBindings, "MAIL_FROM" | "PUBLIC_ORIGIN">,
  input: OutgoingEmailInput,
): OutgoingEmail {
  const host = env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).hostname : "localhost";
  return {
    from: senderAddress(env),
    to: input.to,
    subject: input.email.subject,
    html: input.email.html,
    text: input.email.text,
    headers: input.headers ?? {},
    messageId: `<${input.deliveryId}@${host}>`,
  };
}
