import { buildOutgoingEmail } from "../email/transport.ts";
import type { EmailTransport } from "../email/types.ts";
import type { NotificationsBindings } from "../env.ts";
import type { ChannelSender } from "./attempt.ts";
import type { EmailDeliveryPayload } from "./payloads.ts";

/**
 * Mail through the configured transport (SMTP or the HTTP API, src/email). No transport configured: the mail is
 * failed at once, with the reason in the log, rather than retried for hours against nothing. The Message-ID is
 * made from the delivery's id, so every retry of one delivery carries the same one.
 */
export function emailSender(
  transport: EmailTransport | null,
  settings: Pick<NotificationsBindings, "MAIL_FROM" | "PUBLIC_ORIGIN">,
): ChannelSender {
  return async (_db, delivery) => {
    if (!transport) return { outcome: "permanent", error: "no mail transport configured" };
    if (!delivery.recipient) return { outcome: "permanent", error: "the mail has no recipient" };
    const payload = delivery.payload as unknown as EmailDeliveryPayload;
    return transport.send(
      buildOutgoingEmail(settings, {
        to: delivery.recipient,
        email: payload,
        deliveryId: delivery.id,
        headers: payload.headers,
      }),
    );
  };
}
