import { parseMailbox } from "./addresses.ts";
import { InvalidMessageError } from "./invalid-message.ts";
import type { EmailTransport, OutgoingEmail, SendResult } from "./types.ts";

export const RESEND_API_BASE = "https://api.resend.com";

export interface ResendSettings {
  readonly apiKey: string;
  /** The API's origin: Resend's own, or a local stand-in in tests (EMAIL_API_BASE). */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

async function errorOf(response: Response): Promise<string> {
  const body = (await response.text().catch(() => "")).slice(0, 500);
  return `email API answered ${response.status}${body ? `: ${body}` : ""}`;
}

/**
 * Resend's `POST /emails` (https://resend.com/docs/api-reference/emails/send-email). The delivery's
 * Message-ID doubles as the Idempotency-Key: a retry after a timeout whose request did get through is
 * answered with the first send's id instead of mailing the person twice.
 */
export function resendTransport(settings: ResendSettings): EmailTransport {
  const fetchImpl = settings.fetch ?? fetch;
  return {
    name: "resend",
    async send(message: OutgoingEmail): Promise<SendResult> {
      let body: string;
      try {
        // The same checks as the SMTP path: no line breaks, real addresses.
        parseMailbox(message.from);
        parseMailbox(message.to);
        for (const [name, value] of Object.entries({ Subject: message.subject, ...message.headers })) {
          if (/[\r\n]/.test(name + value)) throw new InvalidMessageError(`${name} must not contain a line break`);
        }
        body = JSON.stringify({
          from: message.from,
          to: [message.to],
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: { ...message.headers, "Message-ID": `<${message.messageId.replace(/^<|>$/g, "")}>` },
        });
      } catch (error) {
        if (error instanceof InvalidMessageError) return { outcome: "permanent", error: error.message };
        throw error;
      }
      let response: Response;
      try {
        response = await fetchImpl(new URL("/emails", settings.baseUrl), {
          method: "POST",
          headers: {
            authorization: `Bearer ${settings.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": message.messageId.replace(/^<|>$/g, ""),
          },
          body,
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch (error) {
        return {
          outcome: "temporary",
          error: `email API unreachable: ${error instanceof Error ? error.message : error}`,
        };
      }
      if (response.ok) {
        const answer = (await response.json().catch(() => null)) as { id?: unknown } | null;
        if (typeof answer?.id === "string") return { outcome: "accepted", providerId: answer.id };
        return { outcome: "temporary", error: `email API answered ${response.status} without an id` };
      }
      // 429: slow down; 5xx: their trouble; 409: the same idempotency key is still being processed.
      const temporary = response.status === 429 || response.status === 409 || response.status >= 500;
      return { outcome: temporary ? "temporary" : "permanent", error: await errorOf(response) };
    },
  };
}
