import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { parseMail } from "./parse.ts";
import { Refusals, refusalError } from "./refusals.ts";
import type { ReceivedMail, RefusalRule } from "./types.ts";

export interface TestMailboxOptions {
  /** 0 (default): any free port. Both servers listen on 127.0.0.1 only. */
  readonly smtpPort?: number;
  readonly httpPort?: number;
  /** Require AUTH (PLAIN or LOGIN) with these credentials; STARTTLS is offered either way (a self-signed certificate). */
  readonly auth?: { readonly username: string; readonly password: string };
}

export interface TestMailbox {
  readonly smtpPort: number;
  /** The control API, e.g. `http://127.0.0.1:41234` (see mailboxClient). */
  readonly url: string;
  readonly messages: readonly ReceivedMail[];
  clear(): void;
  refuse(rule: RefusalRule): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      raw += chunk;
      if (raw.length > MAX_BODY_BYTES) request.destroy(new Error("body too large"));
    });
    request.on("end", () => {
      try {
        resolve(raw.trim() === "" ? {} : JSON.parse(raw));
      } catch (error) {
        reject(error);
      }
    });
    request.on("error", reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const listening = (server: { listen(port: number, host: string, done: () => void): unknown }, port: number) =>
  new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

/**
 * A real SMTP server (smtp-server) for tests: it accepts mail like any relay, parses each message with
 * mailparser and keeps it in memory; refusals can be scripted (451 the next N times, 550 always…).
 * A loopback HTTP API lists, clears and scripts, for test files in other processes than this one.
 */
export async function startTestMailbox(options: TestMailboxOptions = {}): Promise<TestMailbox> {
  const messages: ReceivedMail[] = [];
  const refusals = new Refusals();

  const smtp = new SMTPServer({
    logger: false,
    banner: "test-mailbox",
    authOptional: !options.auth,
    authMethods: ["PLAIN", "LOGIN"],
    // AUTH only after STARTTLS, as real relays insist: the client must not send credentials in the clear.
    allowInsecureAuth: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.username && auth.password === options.auth.password;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onMailFrom(address, _session, callback) {
      const refusal = refusals.take("mail", [address.address]);
      callback(refusal ? refusalError(refusal) : null);
    },
    onRcptTo(address, _session, callback) {
      const refusal = refusals.take("rcpt", [address.address]);
      callback(refusal ? refusalError(refusal) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((each) => each.address);
        const refusal = refusals.take("data", to);
        if (refusal) return callback(refusalError(refusal));
        const id = randomBytes(8).toString("hex").toUpperCase();
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        parseMail(Buffer.concat(chunks), id, { from, to }).then(
          (mail) => {
            messages.push(mail);
            // The wording real relays use (Postfix), so a client can read the queue id from it.
            callback(null, `Message queued as ${id}`);
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  smtp.on("error", () => {
    // A client that hangs up mid-session is routine in tests (timeouts are tested); nothing to report.
  });
  await listening(smtp, options.smtpPort ?? 0);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://mailbox");
    const route = `${request.method} ${url.pathname}`;
    void (async () => {
      if (route === "GET /messages") {
        const to = url.searchParams.get("to")?.toLowerCase();
        const subject = url.searchParams.get("subject");
        const found = messages.filter(
          (mail) =>
            (!to ||
              mail.envelope.to.some((address) => address.toLowerCase() === to) ||
              mail.to.toLowerCase().includes(to)) &&
            (!subject || mail.subject.includes(subject)),
        );
        return answer(response, 200, found);
      }
      if (route === "DELETE /messages") {
        messages.length = 0;
        return answer(response, 200, { cleared: true });
      }
      if (route === "POST /refusals") {
        refusals.add((await readJson(request)) as RefusalRule);
        return answer(response, 201, { added: true });
      }
      if (route === "DELETE /refusals") {
        refusals.clear();
        return answer(response, 200, { cleared: true });
      }
      if (route === "GET /health") return answer(response, 200, { smtpPort, messages: messages.length });
      return answer(response, 404, { error: `no route ${route}` });
    })().catch((error: unknown) =>
      answer(response, 400, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await listening(http, options.httpPort ?? 0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    smtpPort,
    url,
    messages,
    clear: () => {
      messages.length = 0;
      refusals.clear();
    },
    refuse: (rule) => refusals.add(rule),
    stop: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
