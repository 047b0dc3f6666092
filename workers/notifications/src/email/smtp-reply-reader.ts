/** One SMTP reply: its code and the text of each of its lines (`250-PIPELINING`, `250 SIZE` → both texts). */
export interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
}

export class SmtpConnectionClosed extends Error {
  override readonly name = "SmtpConnectionClosed";
}

/**
 * Reads replies off the socket: lines end in CRLF; a reply's lines are `NNN-text` until the last,
 * `NNN text` (RFC 5321 §4.2.1). Keeps what arrived beyond one reply for the next read.
 */
export class SmtpReplyReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(readable: ReadableStream<Uint8Array>) {
    this.reader = readable.getReader();
  }

  async read(): Promise<SmtpReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line();
      const [, code, separator, text] = /^(\d{3})([ -]?)(.*)$/.exec(line) ?? [];
      if (code === undefined) throw new Error(`not an SMTP reply: ${JSON.stringify(line.slice(0, 200))}`);
      lines.push(text ?? "");
      if (separator !== "-") return { code: Number(code), lines };
    }
  }

  /** Hands the stream back, for STARTTLS: the upgraded socket has streams of its own. */
  release(): void {
    this.reader.releaseLock();
  }

  private async line(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf("\n");
      if (end >= 0) {
        const line = this.buffer.slice(0, end).replace(/\r$/, "");
        this.buffer = this.buffer.slice(end + 1);
        return line;
      }
      const { value, done } = await this.reader.read();
      // A closed stream ends the wait: a reader that looped on `done` would spin forever.
      if (done) throw new SmtpConnectionClosed("the server closed the connection");
      this.buffer += this.decoder.decode(value, { stream: true });
      if (this.buffer.length > 64 * 1024) throw new Error("an SMTP reply longer than 64 KiB");
    }
  }
}
