export { startTestMailbox, type TestMailbox, type TestMailboxOptions } from "./server.ts";
export { mailboxClient, type MailboxClient } from "./client.ts";
export type { ReceivedMail, RefusalRule } from "./types.ts";
