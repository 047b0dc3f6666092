import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildEvent,
  INBOUND_SIGNATURE_HEADER,
  INTEGRATOR_SIGNATURE_HEADER,
  verifyInboundSignature,
} from "@platform/events";
import { deliverInbound } from "../src/inbound-delivery.ts";
import { checkInboundMessage } from "../src/inbound.ts";
import type { IncomingMessage } from "../src/kafka-client.ts";

const SECRET = "unit-test-secret-0123456789abcdefgh";
let server: Server;
let url: string;
let respond: (request: HttpRequest, body: string, response: ServerResponse) => void = (_request, _body, response) =>
  response.writeHead(202).end();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => respond(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/inbound`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const deliver = (body = "{}", timeoutMs = 2_000) => deliverInbound({ url, secret: SECRET, body, timeoutMs });

describe("handing an inbound event to the platform", () => {
  it("POSTs the body unchanged, as JSON, with a signature the platform verifies", async () => {
    let seen: { body: string; type: string | undefined; ok: boolean } | undefined;
    respond = (request, body, response) => {
      void verifyInboundSignature(SECRET, body, request.headers[INBOUND_SIGNATURE_HEADER] as string).then((check) => {
        seen = { body, type: request.headers["content-type"], ok: check.ok };
        response.writeHead(202).end();
      });
    };
    const body = '{"id": "x",  "spacing":"kept"}';
    expect(await deliver(body)).toEqual({ kind: "accepted", status: 202 });
    expect(seen).toEqual({ body, type: "application/json", ok: true });
  });

  it("forwards the integrator's signature unchanged, beside its own: the platform checks it, not the bridge", async () => {
    let forwarded: unknown;
    respond = (request, _body, response) => {
      forwarded = request.headers[INTEGRATOR_SIGNATURE_HEADER];
      response.writeHead(202).end();
    };
    const integratorSignature = `id=${randomUUID()},t=1700000000,ed25519=${"A".repeat(86)}`;
    await deliverInbound({ url, secret: SECRET, body: "{}", timeoutMs: 2_000, integratorSignature });
    expect(forwarded).toBe(integratorSignature);
  });

  it("treats a 4xx refusal as final, with the problem's title, detail and field errors as the reason", async () => {
    respond = (_request, _body, response) =>
      response.writeHead(422, { "content-type": "application/problem+json" }).end(
        JSON.stringify({
          title: "Validation failed",
          detail: "Not for integrators.",
          errors: [{ path: "body.type", message: "nope" }],
        }),
      );
    expect(await deliver()).toEqual({
      kind: "refused",
      status: 422,
      reason: "HTTP 422 — Validation failed — Not for integrators. — body.type: nope",
    });
  });

  it.each([500, 503, 408, 429])("retries a %i", async (status) => {
    respond = (_request, _body, response) => response.writeHead(status, { "retry-after": "7" }).end();
    expect(await deliver()).toMatchObject({ kind: "retry", retryAfterMs: 7_000 });
  });

  it("retries when the platform cannot be reached or does not answer in time", async () => {
    respond = () => {}; // never answers
    expect(await deliver("{}", 300)).toMatchObject({
      kind: "retry",
      reason: expect.stringContaining("could not be reached"),
    });
    expect(
      await deliverInbound({ url: "http://127.0.0.1:9/", secret: SECRET, body: "{}", timeoutMs: 1_000 }),
    ).toMatchObject({ kind: "retry" });
  });
});

describe("checking an inbound message", () => {
  const message = (value: string | null, headers: Record<string, string> = {}): IncomingMessage => ({
    topic: "in",
    partition: 0,
    offset: "0",
    key: null,
    value: value === null ? null : Buffer.from(value),
    headers,
  });

  it("accepts a catalogued event and keeps its exact bytes", () => {
    const event = buildEvent(
      "ENROLLMENT_REQUESTED",
      { userId: randomUUID(), courseId: randomUUID(), reference: "crm-1", requestedAt: new Date().toISOString() },
      { source: "integrator", correlationId: "c-1" },
    );
    const raw = JSON.stringify(event, null, 2);
    expect(checkInboundMessage(message(raw))).toEqual({ ok: true, body: raw, correlationId: "c-1" });
    expect(checkInboundMessage(message(raw, { [INTEGRATOR_SIGNATURE_HEADER]: "id=x,t=1,ed25519=y" }))).toEqual({
      ok: true,
      body: raw,
      correlationId: "c-1",
      integratorSignature: "id=x,t=1,ed25519=y",
    });
  });

  it.each([
    [null, "the message has no value"],
    ["{not json", "the value is not JSON"],
    ['{"type":"USER_CREATED"}', "id:"],
    [
      JSON.stringify({
        id: "0190a3f0-0000-7000-8000-000000000000",
        type: "NO_SUCH_EVENT",
        source: "x",
        version: 1,
        aggregateId: "a",
        data: {},
        metadata: { timestamp: new Date().toISOString(), correlationId: "c" },
      }),
      "unknown event type",
    ],
  ])("refuses %j with a reason", (value, reason) => {
    const verdict = checkInboundMessage(message(value));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.reason).toContain(reason);
  });
});
