import { InvalidMessageError } from "./invalid-message.ts";

export interface Mailbox {
  /** The display name, or null for a bare address. */
  readonly name: string | null;
  readonly address: string;
}

// Deliberately plain: one @, no spaces, brackets or line breaks. Anything odder is refused rather than
// guessed at, since the address lands in an SMTP command line as it is.
const ADDRESS = /^[^\s<>()[\]\\,;:@"]+@[^\s<>()[\]\\,;:@"]+\.[^\s<>()[\]\\,;:@".]+$/;

/** `Name <address>` or a bare address, as MAIL_FROM and OutgoingEmail's `from`/`to` hold them. */
export function parseMailbox(value: string): Mailbox {
  if (/[\r\n]/.test(value)) throw new InvalidMessageError("an address must not contain a line break");
  const [, displayName, bracketed] = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(value) ?? [];
  const name = displayName?.replace(/^"(.*)"$/, "$1").trim() || null;
  const address = (bracketed ?? value).trim();
  if (!ADDRESS.test(address)) throw new InvalidMessageError(`not an email address: ${JSON.stringify(address)}`);
  return { name, address };
}
