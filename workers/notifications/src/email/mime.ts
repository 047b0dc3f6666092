import { parseMailbox, type Mailbox } from "./addresses.ts";
import { InvalidMessageError } from "./invalid-message.ts";
import type { OutgoingEmail } from "./types.ts";

const utf8 = new TextEncoder();
const CRLF = "\r\n";

/** Headers this module writes itself; an extra header must not set (or duplicate) them. */
const RESERVED = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

function refuseLineBreaks(what: string, value: string): string {
  // The whole of header injection: a CR or LF would start a new header (or the body) of the attacker's choosing.
  if (/[\r\n]/.test(value)) throw new InvalidMessageError(`${what} must not contain a line break`);
  return value;
}

const isPlainAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * RFC 2047 encoded words (`=?UTF-8?B?…?=`), each at most 75 characters, split between characters
 * (never inside one), so a long non-ASCII subject folds onto several lines.
 */
function encodedWords(value: string): string[] {
  const words: string[] = [];
  let chunk = "";
  for (const char of value) {
    // 45 bytes of UTF-8 → 60 base64 characters + 12 of `=?UTF-8?B??=` = 72.
    if (utf8.encode(chunk + char).length > 45) {
      words.push(`=?UTF-8?B?${base64(utf8.encode(chunk))}?=`);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk || words.length === 0) words.push(`=?UTF-8?B?${base64(utf8.encode(chunk))}?=`);
  return words;
}

/**
 * Folds a header at spaces so lines stay within 76 characters where the value allows (RFC 5322 asks
 * for 78; a value without spaces, a long URL, may run to its limit of 998).
 */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (rest.length > 76) {
    const at = rest.lastIndexOf(" ", 76);
    if (at <= 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out.join(CRLF);
}

/** An unstructured header value (Subject): as it is when plain ASCII, else encoded words. */
function headerText(name: string, value: string): string {
  refuseLineBreaks(name, value);
  // `=?` in a plain value would be read back as the start of an encoded word.
  if (isPlainAscii(value) && !value.includes("=?")) return fold(`${name}: ${value}`);
  return fold(`${name}: ${encodedWords(value).join(" ")}`);
}

function mailboxHeader(name: string, mailbox: Mailbox): string {
  if (!mailbox.name) return fold(`${name}: ${mailbox.address}`);
  const display = isPlainAscii(mailbox.name)
    ? // A quoted string, so commas or dots in a name are not read as address syntax.
      `"${mailbox.name.replace(/["\\]/g, "\\$&")}"`
    : encodedWords(mailbox.name).join(" ");
  return fold(`${name}: ${display} <${mailbox.address}>`);
}

/** RFC 5322 date: `Fri, 12 Mar 2027 10:00:00 +0000`. */
export function mailDate(at: Date): string {
  return at.toUTCString().replace(/GMT$/, "+0000");
}

const HEX = "0123456789ABCDEF";
const escapeByte = (byte: number) => `=${HEX[byte >> 4]}${HEX[byte & 15]}`;

function quotedPrintableLine(line: string): string {
  const bytes = utf8.encode(line);
  let out = "";
  let current = "";
  bytes.forEach((byte, index) => {
    const last = index === bytes.length - 1;
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    const token = literal ? String.fromCharCode(byte) : escapeByte(byte);
    // 75 + the soft break's "=" = 76, the limit RFC 2045 sets; tokens are never split.
    if (current.length + token.length > 75) {
      out += `${current}=${CRLF}`;
      current = "";
    }
    current += token;
  });
  return out + current;
}

/** RFC 2045 quoted-printable: readable in the raw message, 7-bit safe, lines ≤ 76 characters. */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(quotedPrintableLine)
    .join(CRLF);
}

function boundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  // "=_" cannot occur in quoted-printable output, so the boundary can never collide with a body.
  return `=_alt_${[...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function messageIdHeader(messageId: string): string {
  refuseLineBreaks("Message-ID", messageId);
  const id = messageId.replace(/^<|>$/g, "");
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(id)) throw new InvalidMessageError(`not a Message-ID: ${messageId}`);
  return `Message-ID: <${id}>`;
}

function extraHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([name, value]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) throw new InvalidMessageError(`not a header name: ${name}`);
    if (RESERVED.has(name.toLowerCase())) throw new InvalidMessageError(`header ${name} is set by the message itself`);
    refuseLineBreaks(name, value);
    if (!isPlainAscii(value)) throw new InvalidMessageError(`header ${name} must be plain ASCII`);
    return fold(`${name}: ${value}`);
  });
}

function part(contentType: string, body: string, separator: string): string[] {
  return [
    `--${separator}`,
    `Content-Type: ${contentType}; charset=utf-8`,
    "Content-Transfer-Encoding: quoted-printable",
    "",
    quotedPrintable(body),
  ];
}

/**
 * The whole RFC 5322 message, CRLF line ends: multipart/alternative with a text and an HTML part,
 * both UTF-8 quoted-printable. Throws InvalidMessageError for anything that could inject a header.
 */
export function buildMimeMessage(message: OutgoingEmail, at: Date = new Date()): string {
  const separator = boundary();
  const lines = [
    mailboxHeader("From", parseMailbox(message.from)),
    mailboxHeader("To", parseMailbox(message.to)),
    headerText("Subject", message.subject),
    `Date: ${mailDate(at)}`,
    messageIdHeader(message.messageId),
    ...extraHeaders(message.headers),
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${separator}"`,
    "",
    ...part("text/plain", message.text, separator),
    ...part("text/html", message.html, separator),
    `--${separator}--`,
    "",
  ];
  return lines.join(CRLF);
}
