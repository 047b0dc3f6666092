import { simpleParser, type AddressObject } from "mailparser";
import type { ReceivedMail } from "./types.ts";

const addressText = (value: AddressObject | AddressObject[] | undefined) =>
  value === undefined ? "" : (Array.isArray(value) ? value : [value]).map((each) => each.text).join(", ");

/** Parses one received message with mailparser, as a mail client would see it. */
export async function parseMail(raw: Buffer, id: string, envelope: ReceivedMail["envelope"]): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return {
    id,
    envelope,
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : "",
    headers,
    date: parsed.date ? parsed.date.toISOString() : null,
    messageId: parsed.messageId ?? null,
    receivedAt: new Date().toISOString(),
    raw: raw.toString("utf8"),
  };
}
