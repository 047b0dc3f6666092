import { inject } from "vitest";
import { mailboxClient, type ReceivedMail, type RefusalRule } from "@platform/test-mailbox";
import { ASYNC_EFFECTS } from "./polling.ts";

export type { ReceivedMail, RefusalRule } from "@platform/test-mailbox";

/**
 * The platform tests' mailbox: the real SMTP server (tools/test-mailbox) the notifications worker
 * sends to, started by test/setup/platform.ts. Addresses are per test (people.ts makes unique ones),
 * so tests need not clear the mailbox between them.
 */
const mailbox = () => mailboxClient(inject("mailboxUrl"));

/** Every message that arrived for `to` so far (envelope recipient or To header), oldest first. */
export const mailTo = (to: string, filter: { subject?: string } = {}): Promise<ReceivedMail[]> =>
  mailbox().messages({ to, ...filter });

export interface WaitForMail {
  /** Only a message whose subject contains this. */
  readonly subject?: string;
  /** How long to look: delivery goes through an event, a Queue and maybe a retry. */
  readonly timeoutMs?: number;
}

/** The first message for `to` (matching `subject`), looked for every 150 ms until the deadline. */
export async function waitForMail(to: string, options: WaitForMail = {}): Promise<ReceivedMail> {
  const deadline = Date.now() + (options.timeoutMs ?? ASYNC_EFFECTS.timeout);
  for (;;) {
    const [first] = await mailTo(to, options.subject === undefined ? {} : { subject: options.subject });
    if (first) return first;
    if (Date.now() >= deadline) {
      const arrived = (await mailTo(to)).map((mail) => JSON.stringify(mail.subject));
      throw new Error(
        `no mail to ${to}${options.subject ? ` with subject containing "${options.subject}"` : ""} within ${
          options.timeoutMs ?? ASYNC_EFFECTS.timeout
        } ms (arrived for that address: ${arrived.length ? arrived.join(", ") : "none"})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, ASYNC_EFFECTS.interval));
  }
}

/**
 * Scripts the SMTP server to refuse: e.g. `{ stage: "rcpt", address, code: 451, times: 2 }` (try later,
 * twice) or `{ stage: "rcpt", address, code: 550 }` (never). Scope rules by address, so other tests' mail
 * is not refused.
 */
export const refuseMail = (rule: RefusalRule): Promise<unknown> => mailbox().refuse(rule);

/** Forgets every message and every scripted refusal. */
export async function clearMailbox(): Promise<void> {
  await mailbox().clearMessages();
  await mailbox().clearRefusals();
}
