import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestMailbox, type TestMailbox } from "@platform/test-mailbox";
import { nodeSocketConnector } from "../../../test/support/node-socket.ts";
import { sendOverSmtp, type SmtpSettings } from "../src/email/smtp-client.ts";
import { smtpTransport } from "../src/email/smtp-transport.ts";
import { buildOutgoingEmail } from "../src/email/transport.ts";

/** The worker's SMTP client, through a node:net socket, against a real SMTP server (smtp-server). */
const connect = nodeSocketConnector();
let mailbox: TestMailbox;
let settings: SmtpSettings;

const env = { PUBLIC_ORIGIN: "https://learn.example.test" };
const mail = (to: string, text = "Hello there.", deliveryId: string = crypto.randomUUID()) =>
  buildOutgoingEmail(env, {
    to,
    deliveryId,
    email: { subject: "Grüße aus dem Test", text, html: `<p>${text}</p>` },
    headers: { "List-Unsubscribe": "<https://learn.example.test/u?t=1>" },
  });

beforeAll(async () => {
  mailbox = await startTestMailbox();
  settings = {
    host: "127.0.0.1",
    port: mailbox.smtpPort,
    security: "none",
    clientName: "test.local",
    timeoutMs: 2_000,
  };
});
afterAll(() => mailbox.stop());
beforeEach(() => mailbox.clear());

describe("delivery", () => {
  it("is accepted, with the server's queue id as the provider id, and arrives whole", async () => {
    const result = await smtpTransport(settings, connect).send(mail("ada@example.test"));
    expect(result.outcome).toBe("accepted");
    expect(mailbox.messages).toHaveLength(1);
    const [received] = mailbox.messages;
    expect(result).toEqual({ outcome: "accepted", providerId: received?.id });
    expect(received?.envelope).toEqual({ from: "no-reply@learn.example.test", to: ["ada@example.test"] });
    expect(received?.subject).toBe("Grüße aus dem Test");
    expect(received?.text.trim()).toBe("Hello there.");
    expect(received?.headers["list-unsubscribe"]).toBe("<https://learn.example.test/u?t=1>");
  });

  it("dot-stuffs lines that start with a dot, so they arrive as written and do not end the message", async () => {
    const text = "first\n.\n.hidden line\n..two dots\nlast";
    expect((await smtpTransport(settings, connect).send(mail("ada@example.test", text))).outcome).toBe("accepted");
    expect(mailbox.messages[0]?.text.trim()).toBe(text);
  });

  it("dot-stuffs raw data too: a lone '.' line in the message is content, not its end", async () => {
    const data = ["Subject: raw", "Message-ID: <raw-1@test.local>", "", "before", ".", ".after", "end", ""].join(
      "\r\n",
    );
    const result = await sendOverSmtp(connect, settings, {
      from: "a@example.test",
      to: "b@example.test",
      data,
      messageId: "raw-1@test.local",
    });
    expect(result.outcome).toBe("accepted");
    expect(mailbox.messages[0]?.raw).toContain("\r\nbefore\r\n.\r\n.after\r\nend\r\n");
  });
});

describe("refusals", () => {
  it("answers 451 to the recipient → temporary; the next attempt is delivered", async () => {
    mailbox.refuse({ stage: "rcpt", address: "busy@example.test", code: 451, times: 1 });
    const first = await smtpTransport(settings, connect).send(mail("busy@example.test"));
    expect(first).toEqual({ outcome: "temporary", error: expect.stringContaining("451") });
    expect(mailbox.messages).toHaveLength(0);
    const second = await smtpTransport(settings, connect).send(mail("busy@example.test"));
    expect(second.outcome).toBe("accepted");
    expect(mailbox.messages).toHaveLength(1);
  });

  it("answers 550 to the recipient → permanent, and nothing arrives", async () => {
    mailbox.refuse({ stage: "rcpt", address: "gone@example.test", code: 550, message: "No such user" });
    const result = await smtpTransport(settings, connect).send(mail("gone@example.test"));
    expect(result).toEqual({ outcome: "permanent", error: "RCPT TO refused: 550 No such user" });
    expect(mailbox.messages).toHaveLength(0);
  });

  it("answers 554 to the message itself → permanent; 452 → temporary", async () => {
    mailbox.refuse({ stage: "data", code: 554, times: 1 });
    expect((await smtpTransport(settings, connect).send(mail("ada@example.test"))).outcome).toBe("permanent");
    mailbox.refuse({ stage: "data", code: 452, times: 1 });
    expect((await smtpTransport(settings, connect).send(mail("ada@example.test"))).outcome).toBe("temporary");
    expect(mailbox.messages).toHaveLength(0);
  });

  it("refuses a message with a line break in a header before connecting → permanent", async () => {
    const injected = { ...mail("ada@example.test"), subject: "Hi\r\nBcc: victim@example.test" };
    const result = await smtpTransport(settings, connect).send(injected);
    expect(result).toEqual({ outcome: "permanent", error: "Subject must not contain a line break" });
    expect(mailbox.messages).toHaveLength(0);
  });
});

describe("broken servers", () => {
  let silent: Server;
  let silentPort: number;
  const silentSockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never says a word.
    silent = createServer((socket) => {
      silentSockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("a server that never answers → temporary, after the step's timeout", async () => {
    const started = performance.now();
    const result = await smtpTransport({ ...settings, port: silentPort, timeoutMs: 300 }, connect).send(
      mail("ada@example.test"),
    );
    expect(result).toEqual({
      outcome: "temporary",
      error: expect.stringContaining("no answer to greeting within 300 ms"),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("nobody listening → temporary", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await smtpTransport({ ...settings, port }, connect).send(mail("ada@example.test"));
    expect(result.outcome).toBe("temporary");
  });

  it("a server that hangs up mid-session → temporary", async () => {
    const rude = createServer((socket) => {
      socket.write("220 rude ESMTP\r\n");
      socket.once("data", () => socket.end());
    });
    await new Promise<void>((resolve) => rude.listen(0, "127.0.0.1", resolve));
    try {
      const port = (rude.address() as AddressInfo).port;
      const result = await smtpTransport({ ...settings, port }, connect).send(mail("ada@example.test"));
      expect(result).toEqual({ outcome: "temporary", error: expect.stringContaining("closed the connection") });
    } finally {
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });
});

describe("STARTTLS and AUTH", () => {
  let secured: TestMailbox;
  const tlsConnect = nodeSocketConnector({ rejectUnauthorized: false });
  beforeAll(async () => {
    secured = await startTestMailbox({ auth: { username: "platform", password: "s3cret" } });
  });
  afterAll(() => secured.stop());

  it("upgrades, signs in with AUTH PLAIN and delivers", async () => {
    const result = await smtpTransport(
      { ...settings, port: secured.smtpPort, security: "starttls", username: "platform", password: "s3cret" },
      tlsConnect,
    ).send(mail("ada@example.test"));
    expect(result.outcome).toBe("accepted");
    expect(secured.messages).toHaveLength(1);
  });

  it("wrong credentials → temporary (a setting to fix, not this message's fault), nothing delivered", async () => {
    const result = await smtpTransport(
      { ...settings, port: secured.smtpPort, security: "starttls", username: "platform", password: "wrong" },
      tlsConnect,
    ).send(mail("bob@example.test"));
    expect(result).toEqual({ outcome: "temporary", error: expect.stringContaining("535") });
    expect(secured.messages.filter((each) => each.envelope.to.includes("bob@example.test"))).toHaveLength(0);
  });

  it("without STARTTLS, a server that wants AUTH refuses the mail", async () => {
    const result = await smtpTransport({ ...settings, port: secured.smtpPort }, connect).send(
      mail("carl@example.test"),
    );
    expect(result.outcome).not.toBe("accepted");
  });
});
