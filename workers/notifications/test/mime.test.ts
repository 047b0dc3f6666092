import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { InvalidMessageError } from "../src/email/invalid-message.ts";
import { buildMimeMessage, quotedPrintable } from "../src/email/mime.ts";
import type { OutgoingEmail } from "../src/email/types.ts";

const message: OutgoingEmail = {
  from: "Édition Lernplattform <no-reply@learn.example.test>",
  to: "Zoë Müller <zoe@example.test>",
  subject: "Glückwunsch: Du hast „Grundlagen der Verteilten Systeme für Fortgeschrittene“ abgeschlossen ✓",
  text: `Hallo Zoë,\n\n${"Sehr lange Zeile mit Umlauten äöü und Emoji 🎉 ".repeat(8)}\n.\nEnde = Schluss`,
  html: `<p>Hallo Zoë,</p><p>${"Ein langer Absatz mit <b>Auszeichnung</b> und äöü. ".repeat(6)}</p>`,
  headers: {
    "List-Unsubscribe": "<https://learn.example.test/api/notifications/unsubscribe?token=abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
  messageId: "<0190a1b2-c3d4@learn.example.test>",
};

const AT = new Date("2027-03-12T10:00:00Z");

describe("the MIME message", () => {
  it("parses back (mailparser) to the same subject, names, both parts and headers", async () => {
    const parsed = await simpleParser(buildMimeMessage(message, AT));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ name: "Édition Lernplattform", address: "no-reply@learn.example.test" }]);
    expect(Array.isArray(parsed.to) ? null : parsed.to?.value).toEqual([
      { name: "Zoë Müller", address: "zoe@example.test" },
    ]);
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(parsed.messageId).toBe("<0190a1b2-c3d4@learn.example.test>");
    expect(parsed.date?.toISOString()).toBe(AT.toISOString());
    expect(parsed.headers.get("mime-version")).toBe("1.0");
    // Unfolded: a long header may be folded onto a second line, which a reader joins again.
    const line = (key: string) => parsed.headerLines.find((each) => each.key === key)?.line.replaceAll("\r\n", "");
    expect(line("list-unsubscribe")).toBe(
      "List-Unsubscribe: <https://learn.example.test/api/notifications/unsubscribe?token=abc>",
    );
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("is multipart/alternative, text before HTML, UTF-8 quoted-printable, with CRLF line ends only", () => {
    const raw = buildMimeMessage(message, AT);
    expect(raw).toMatch(/\r\nContent-Type: multipart\/alternative; boundary="=_alt_[0-9a-f]{16}"\r\n/);
    const plain = raw.indexOf("Content-Type: text/plain; charset=utf-8");
    const html = raw.indexOf("Content-Type: text/html; charset=utf-8");
    expect(plain).toBeGreaterThan(0);
    expect(html).toBeGreaterThan(plain);
    expect(raw.match(/Content-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
    expect(raw.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(raw).toContain("\r\nDate: Fri, 12 Mar 2027 10:00:00 +0000\r\n");
  });

  it("keeps every line within 76 characters and 7-bit: non-ASCII only in encoded words and =XX escapes", () => {
    const raw = buildMimeMessage(message, AT);
    for (const line of raw.split("\r\n")) expect(line.length, line).toBeLessThanOrEqual(76);
    expect([...raw].every((char) => char.charCodeAt(0) < 128)).toBe(true);
    // The long subject folds into several encoded words.
    expect(raw).toMatch(/Subject:(\r\n)? =\?UTF-8\?B\?[^?]+\?=\r\n =\?UTF-8\?B\?/);
  });

  it("leaves a plain ASCII subject readable", () => {
    const raw = buildMimeMessage({ ...message, subject: "Your purchase: Edge 101" }, AT);
    expect(raw).toContain("\r\nSubject: Your purchase: Edge 101\r\n");
  });

  it("quotes a display name with address syntax in it", async () => {
    const raw = buildMimeMessage({ ...message, from: 'Learning, Inc. "Edge" <no-reply@learn.example.test>' }, AT);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Learning, Inc. "Edge"', address: "no-reply@learn.example.test" }]);
  });
});

describe("quoted-printable", () => {
  it("escapes '=', non-ASCII and trailing spaces, and soft-breaks long lines", () => {
    expect(quotedPrintable("a = b")).toBe("a =3D b");
    expect(quotedPrintable("ä")).toBe("=C3=A4");
    expect(quotedPrintable("end \nnext")).toBe("end=20\r\nnext");
    const long = quotedPrintable("x".repeat(200));
    expect(long.split("\r\n").map((line) => line.length)).toEqual([76, 76, 50]);
    expect(long.replaceAll("=\r\n", "")).toBe("x".repeat(200));
  });
});

describe("header injection", () => {
  const refused = (change: Partial<OutgoingEmail>) => () => buildMimeMessage({ ...message, ...change }, AT);

  it("refuses CR or LF in the subject, the addresses and extra header values", () => {
    expect(refused({ subject: "Hi\r\nBcc: victim@example.test" })).toThrow(InvalidMessageError);
    expect(refused({ subject: "Hi\nBcc: victim@example.test" })).toThrow("Subject must not contain a line break");
    expect(refused({ to: "a@example.test\r\nBcc: victim@example.test" })).toThrow(InvalidMessageError);
    expect(refused({ from: "Evil\r\nBcc: x@example.test <no-reply@learn.example.test>" })).toThrow(InvalidMessageError);
    expect(refused({ headers: { "List-Unsubscribe": "<https://x.test>\r\nBcc: victim@example.test" } })).toThrow(
      "List-Unsubscribe must not contain a line break",
    );
    expect(refused({ messageId: "<a@b>\r\nBcc: victim@example.test" })).toThrow(InvalidMessageError);
  });

  it("refuses bad header names and headers the message sets itself", () => {
    expect(refused({ headers: { "Bcc: victim@example.test\r\nX": "y" } })).toThrow("not a header name");
    expect(refused({ headers: { bcc: "victim@example.test" } })).toThrow("set by the message itself");
    expect(refused({ headers: { "Content-Type": "text/html" } })).toThrow("set by the message itself");
  });

  it("refuses something that is not an address", () => {
    expect(refused({ to: "not an address" })).toThrow("not an email address");
    expect(refused({ to: "<a@b@example.test>" })).toThrow("not an email address");
  });
});
