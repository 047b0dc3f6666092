import { SmtpReplyReader, type SmtpReply } from "./smtp-reply-reader.ts";
import type { SocketConnector, SocketLike } from "./socket.ts";
import type { SendResult } from "./types.ts";

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** `none`: plain text (loopback, local catchers); `starttls`: upgrade before anything else; `tls`: implicit TLS. */
  readonly security: "none" | "starttls" | "tls";
  readonly username?: string;
  readonly password?: string;
  /** The name this client gives in EHLO. */
  readonly clientName: string;
  /** The limit on every single step: connecting, each reply, each write. */
  readonly timeoutMs: number;
}

export interface SmtpEnvelope {
  readonly from: string;
  readonly to: string;
  /** The RFC 5322 message with CRLF line ends (email/mime.ts); dot-stuffed here. */
  readonly data: string;
  /** Used as the provider id when the server's reply names no queue id. */
  readonly messageId: string;
}

/** A refusal during a step: `temporary` for 4xx, `permanent` for 5xx when it concerns the message. */
class SmtpRefusal extends Error {
  override readonly name = "SmtpRefusal";
  readonly outcome: "temporary" | "permanent";
  constructor(outcome: "temporary" | "permanent", message: string) {
    super(message);
    this.outcome = outcome;
  }
}

class StepTimeout extends Error {
  override readonly name = "StepTimeout";
}

const encoder = new TextEncoder();

function withTimeout<T>(step: string, work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(`no answer to ${step} within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** RFC 5321 §4.5.2: a line that starts with "." gets another, so it cannot end the message early. */
export function dotStuff(data: string): string {
  const lines = data.replace(/\r?\n/g, "\r\n").replace(/\r\n$/, "").split("\r\n");
  return `${lines.map((line) => (line.startsWith(".") ? `.${line}` : line)).join("\r\n")}\r\n.\r\n`;
}

const base64 = (text: string) => {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
};

const replyText = (reply: SmtpReply) => `${reply.code} ${reply.lines.join(" ")}`.trim();

/** The queue id in a 250 reply to DATA: Postfix `queued as 4BvX1k`, Exim `id=1abc-…`, smtp-server's own words. */
export function queueIdFrom(reply: SmtpReply): string | null {
  const text = reply.lines.join(" ");
  const match = /queued as ([^\s;,)]+)/i.exec(text) ?? /\bid=([^\s;,)]+)/i.exec(text);
  return match?.[1] ?? null;
}

/** One SMTP session, one message: each step awaited, each with its timeout. */
class SmtpSession {
  private socket: SocketLike;
  private reader: SmtpReplyReader;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly settings: SmtpSettings;

  constructor(socket: SocketLike, settings: SmtpSettings) {
    this.socket = socket;
    this.settings = settings;
    this.reader = new SmtpReplyReader(socket.readable);
    this.writer = socket.writable.getWriter();
  }

  async reply(step: string): Promise<SmtpReply> {
    return withTimeout(step, this.reader.read(), this.settings.timeoutMs);
  }

  async command(step: string, line: string): Promise<SmtpReply> {
    await withTimeout(step, this.writer.write(encoder.encode(`${line}\r\n`)), this.settings.timeoutMs);
    return this.reply(step);
  }

  /**
   * Expects a reply in `accepted`. A refusal that concerns the session (greeting, EHLO, STARTTLS, AUTH)
   * is temporary whatever its code: it says the server or our settings are wrong, not this message,
   * and a fixed setting should still deliver it. Refusals of the message itself follow the code.
   */
  async expect(step: string, line: string | null, accepted: readonly number[], aboutMessage = false) {
    const reply = line === null ? await this.reply(step) : await this.command(step, line);
    if (accepted.includes(reply.code)) return reply;
    const permanent = aboutMessage && reply.code >= 500 && reply.code < 600;
    throw new SmtpRefusal(permanent ? "permanent" : "temporary", `${step} refused: ${replyText(reply)}`);
  }

  async hello(): Promise<ReadonlySet<string>> {
    const reply = await this.command("EHLO", `EHLO ${this.settings.clientName}`);
    if (reply.code === 250) return new Set(reply.lines.slice(1).map((line) => line.toUpperCase()));
    // An old server without ESMTP: HELO, and no extensions.
    await this.expect("HELO", `HELO ${this.settings.clientName}`, [250]);
    return new Set();
  }

  async startTls(): Promise<void> {
    await this.expect("STARTTLS", "STARTTLS", [220]);
    this.reader.release();
    this.writer.releaseLock();
    this.socket = this.socket.startTls();
    this.reader = new SmtpReplyReader(this.socket.readable);
    this.writer = this.socket.writable.getWriter();
  }

  async authenticate(extensions: ReadonlySet<string>, username: string, password: string): Promise<void> {
    const mechanisms = [...extensions].find((line) => line.startsWith("AUTH"))?.split(/[ =]/) ?? [];
    if (mechanisms.includes("PLAIN")) {
      await this.expect("AUTH PLAIN", `AUTH PLAIN ${base64(`\0${username}\0${password}`)}`, [235]);
    } else if (mechanisms.includes("LOGIN")) {
      await this.expect("AUTH LOGIN", "AUTH LOGIN", [334]);
      await this.expect("AUTH LOGIN username", base64(username), [334]);
      await this.expect("AUTH LOGIN password", base64(password), [235]);
    } else {
      throw new SmtpRefusal("temporary", "the server offers neither AUTH PLAIN nor AUTH LOGIN");
    }
  }

  async send(envelope: SmtpEnvelope): Promise<string> {
    await this.expect("greeting", null, [220]);
    let extensions = await this.hello();
    if (this.settings.security === "starttls") {
      // Credentials and mail never cross in the clear: no STARTTLS offered, no mail sent.
      if (!extensions.has("STARTTLS")) throw new SmtpRefusal("temporary", "the server does not offer STARTTLS");
      await this.startTls();
      extensions = await this.hello();
    }
    if (this.settings.username)
      await this.authenticate(extensions, this.settings.username, this.settings.password ?? "");
    await this.expect("MAIL FROM", `MAIL FROM:<${envelope.from}>`, [250], true);
    await this.expect("RCPT TO", `RCPT TO:<${envelope.to}>`, [250, 251], true);
    await this.expect("DATA", "DATA", [354], true);
    await withTimeout(
      "the message",
      this.writer.write(encoder.encode(dotStuff(envelope.data))),
      this.settings.timeoutMs,
    );
    const accepted = await this.expect("the message", null, [250], true);
    return queueIdFrom(accepted) ?? envelope.messageId;
  }

  /** Best effort: the message is already accepted or refused; QUIT's answer changes nothing. */
  async quit(): Promise<void> {
    try {
      await this.command("QUIT", "QUIT");
    } catch {
      // Nothing to do: the connection is closed below either way.
    }
  }

  async close(): Promise<void> {
    await this.socket.close().catch(() => undefined);
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends one message over one SMTP connection and says what came of it: accepted (with the server's
 * queue id, or the Message-ID), temporary (4xx, timeouts, a dropped or refused connection) or
 * permanent (5xx to the sender, the recipient or the message).
 */
export async function sendOverSmtp(
  connect: SocketConnector,
  settings: SmtpSettings,
  envelope: SmtpEnvelope,
): Promise<SendResult> {
  let session: SmtpSession | undefined;
  try {
    const socket = connect(
      { hostname: settings.host, port: settings.port },
      {
        secureTransport: settings.security === "tls" ? "on" : settings.security === "starttls" ? "starttls" : "off",
        allowHalfOpen: false,
      },
    );
    session = new SmtpSession(socket, settings);
    await withTimeout("connect", socket.opened, settings.timeoutMs);
    const providerId = await session.send(envelope);
    await session.quit();
    return { outcome: "accepted", providerId };
  } catch (error) {
    if (error instanceof SmtpRefusal) {
      await session?.quit();
      return { outcome: error.outcome, error: error.message };
    }
    // Timeouts, refused or dropped connections, TLS failures, garbage replies: the next attempt may fare better.
    return { outcome: "temporary", error: `SMTP ${settings.host}:${settings.port}: ${errorText(error)}` };
  } finally {
    await session?.close();
  }
}
