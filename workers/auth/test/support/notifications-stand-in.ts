import type { AccountMail, AccountMailRequest, NotificationsRpc } from "@platform/contracts";

/** Each account mail's data by its template. */
type MailData = { [Mail in AccountMail as Mail["template"]]: Mail["data"] };

/**
 * The NOTIFICATIONS binding as the auth routes use it (`sendAccountMail`, its contract in
 * @platform/contracts), keeping every request; `answer` makes it refuse (`unavailable`) or throw,
 * as a notifications worker that is down would.
 */
export class RecordingNotifications implements Pick<NotificationsRpc, "sendAccountMail"> {
  readonly sent: { request: AccountMailRequest; correlationId: string }[] = [];
  answer: "ok" | "unavailable" | "throw" = "ok";

  async sendAccountMail(
    request: AccountMailRequest,
    correlationId: string,
  ): ReturnType<NotificationsRpc["sendAccountMail"]> {
    if (this.answer === "throw") throw new Error("the notifications worker cannot be reached");
    this.sent.push({ request, correlationId });
    if (this.answer === "unavailable") return { ok: false, code: "unavailable" };
    return { ok: true, value: { deliveryId: crypto.randomUUID() } };
  }

  /** Every mail to this address, oldest first. */
  to(address: string): AccountMailRequest[] {
    return this.sent.filter((entry) => entry.request.to === address).map((entry) => entry.request);
  }

  /** The one mail of this template to this address (fails the test when there is not exactly one). */
  only<T extends keyof MailData>(address: string, template: T): MailData[T] {
    const matching = this.to(address).filter((request) => request.mail.template === template);
    if (matching.length !== 1) {
      throw new Error(`expected one ${template} mail to ${address}, found ${matching.length}`);
    }
    const data: unknown = (matching[0] as AccountMailRequest).mail.data;
    return data as MailData[T];
  }
}

/** The token of a mailed link (the `token` query parameter). */
export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get("token");
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
