import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nodeSocketConnector } from "../../../test/support/node-socket.ts";
import { resendTransport } from "../src/email/resend-transport.ts";
import { buildOutgoingEmail, emailTransportFrom, MailSettingsError } from "../src/email/transport.ts";

/** A local stand-in for Resend's `POST /emails`: records each request and answers as scripted. */
interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}
const API_KEY = "re_test_0123456789";
let server: Server;
let baseUrl: string;
const requests: Recorded[] = [];
let nextAnswer: { status: number; body: unknown; delayMs?: number } | null = null;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      const scripted = nextAnswer ?? { status: 200, body: { id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" } };
      setTimeout(() => {
        response.writeHead(scripted.status, { "content-type": "application/json" });
        response.end(JSON.stringify(scripted.body));
      }, scripted.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
  nextAnswer = null;
});

const env = { PUBLIC_ORIGIN: "https://learn.example.test", MAIL_FROM: "Edge Learning <mail@learn.example.test>" };
const deliveryId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const message = buildOutgoingEmail(env, {
  to: "ada@example.test",
  deliveryId,
  email: { subject: "Your purchase: Edge 101", html: "<p>Thanks</p>", text: "Thanks" },
  headers: {
    "List-Unsubscribe": "<https://learn.example.test/u?t=1>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
});
const transport = () => resendTransport({ apiKey: API_KEY, baseUrl, timeoutMs: 2_000 });

describe("the HTTP email API (Resend)", () => {
  it("posts the message as Resend expects, with the key and an idempotency key, and reports its id", async () => {
    const result = await transport().send(message);
    expect(result).toEqual({ outcome: "accepted", providerId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/emails");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    // The delivery's Message-ID: a retried attempt is recognised as the same mail, not sent twice.
    expect(request?.headers["idempotency-key"]).toBe(`${deliveryId}@learn.example.test`);
    expect(request?.body).toEqual({
      from: "Edge Learning <mail@learn.example.test>",
      to: ["ada@example.test"],
      subject: "Your purchase: Edge 101",
      html: "<p>Thanks</p>",
      text: "Thanks",
      headers: {
        "List-Unsubscribe": "<https://learn.example.test/u?t=1>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": `<${deliveryId}@learn.example.test>`,
      },
    });
  });

  it.each([
    [422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field." }],
    [400, { statusCode: 400, name: "invalid_idempotency_key", message: "bad key" }],
    [403, { statusCode: 403, name: "validation_error", message: "domain not verified" }],
  ])("answers %i → permanent, with the API's reason", async (status, body) => {
    nextAnswer = { status, body };
    const result = await transport().send(message);
    expect(result).toEqual({ outcome: "permanent", error: expect.stringContaining(`email API answered ${status}`) });
    expect(result.outcome === "permanent" && result.error).toContain(body.message);
  });

  it.each([503, 500, 429, 409])("answers %i → temporary", async (status) => {
    nextAnswer = { status, body: { statusCode: status, message: "later" } };
    expect((await transport().send(message)).outcome).toBe("temporary");
  });

  it("a 200 without an id → temporary, not a made-up provider id", async () => {
    nextAnswer = { status: 200, body: {} };
    expect((await transport().send(message)).outcome).toBe("temporary");
  });

  it("no answer in time, or nobody listening → temporary", async () => {
    nextAnswer = { status: 200, body: { id: "late" }, delayMs: 1_000 };
    const slow = resendTransport({ apiKey: API_KEY, baseUrl, timeoutMs: 200 });
    expect((await slow.send(message)).outcome).toBe("temporary");
    const nowhere = resendTransport({ apiKey: API_KEY, baseUrl: "http://127.0.0.1:1", timeoutMs: 2_000 });
    expect((await nowhere.send(message)).outcome).toBe("temporary");
  });

  it("refuses a header with a line break → permanent, without calling the API", async () => {
    const result = await transport().send({ ...message, headers: { "X-Evil": "a\r\nBcc: victim@example.test" } });
    expect(result.outcome).toBe("permanent");
    expect(requests).toHaveLength(0);
  });
});

describe("choosing the transport", () => {
  const connect = nodeSocketConnector();

  it("takes the API when EMAIL_API_KEY is set, even with SMTP configured", () => {
    const chosen = emailTransportFrom(
      { ...env, EMAIL_API_KEY: API_KEY, EMAIL_API_BASE: baseUrl, SMTP_HOST: "127.0.0.1" },
      connect,
    );
    expect(chosen?.name).toBe("resend");
  });

  it("sends through EMAIL_API_BASE when set", async () => {
    const chosen = emailTransportFrom({ ...env, EMAIL_API_KEY: API_KEY, EMAIL_API_BASE: baseUrl });
    expect((await chosen?.send(message))?.outcome).toBe("accepted");
    expect(requests).toHaveLength(1);
  });

  it("takes SMTP when only SMTP_HOST is set, and nothing when neither is", () => {
    expect(emailTransportFrom({ ...env, SMTP_HOST: "127.0.0.1", SMTP_PORT: "2525" }, connect)?.name).toBe("smtp");
    expect(emailTransportFrom(env, connect)).toBeNull();
    // SMTP needs a way to open sockets: without one there is no SMTP transport.
    expect(emailTransportFrom({ ...env, SMTP_HOST: "127.0.0.1" })).toBeNull();
  });

  it("refuses settings that cannot work", () => {
    expect(() => emailTransportFrom({ ...env, SMTP_HOST: "mail.test", SMTP_SECURITY: "ssl" }, connect)).toThrow(
      MailSettingsError,
    );
    expect(() => emailTransportFrom({ ...env, SMTP_HOST: "mail.test", SMTP_PORT: "70000" }, connect)).toThrow(
      MailSettingsError,
    );
  });
});

describe("the outgoing mail", () => {
  it("comes from MAIL_FROM, or no-reply at the public origin's host, with a Message-ID per delivery", () => {
    expect(message.from).toBe("Edge Learning <mail@learn.example.test>");
    const plain = buildOutgoingEmail(
      { PUBLIC_ORIGIN: "https://learn.example.test:8443" },
      {
        to: "ada@example.test",
        deliveryId,
        email: { subject: "s", html: "h", text: "t" },
      },
    );
    expect(plain.from).toBe("Edge Learning <no-reply@learn.example.test>");
    expect(plain.messageId).toBe(`<${deliveryId}@learn.example.test>`);
    expect(plain.headers).toEqual({});
  });
});
