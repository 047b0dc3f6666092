import { parseMailbox } from "./addresses.ts";
import { InvalidMessageError } from "./invalid-message.ts";
import { buildMimeMessage } from "./mime.ts";
import { sendOverSmtp, type SmtpSettings } from "./smtp-client.ts";
import type { SocketConnector } from "./socket.ts";
import type { EmailTransport, OutgoingEmail, SendResult } from "./types.ts";

/** Mail over SMTP, one connection per message: deliveries are few and retried separately, so no pool. */
export function smtpTransport(settings: SmtpSettings, connect: SocketConnector): EmailTransport {
  return {
    name: "smtp",
    async send(message: OutgoingEmail): Promise<SendResult> {
      let envelope;
      try {
        envelope = {
          from: parseMailbox(message.from).address,
          to: parseMailbox(message.to).address,
          data: buildMimeMessage(message),
          messageId: message.messageId.replace(/^<|>$/g, ""),
        };
      } catch (error) {
        if (error instanceof InvalidMessageError) return { outcome: "permanent", error: error.message };
        throw error;
      }
      return sendOverSmtp(connect, settings, envelope);
    },
  };
}
