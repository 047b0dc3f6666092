import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../src/push/base64url.ts";
import { sendWebPush } from "../src/push/send.ts";
import type { PushPayload } from "../src/push/types.ts";
import { loadVapidKeys, type VapidKeys } from "../src/push/vapid.ts";
import { testSubscriber, testVapidPrivateKey, the } from "./support/push-subscriber.ts";

/**
 * `sendWebPush` against a real push service on loopback: a Node HTTP server that records each request (headers
 * and body), answers as the test tells it, and whose recorded bodies the test decrypts as the browser would.
 */

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

let server: Server;
let origin: string;
const received: Received[] = [];
let answer: { status: number; headers?: Record<string, string>; body?: string } = { status: 201 };

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  answer = { status: 201 };
});

const vapidSecret = testVapidPrivateKey();
const vapid = async (): Promise<VapidKeys> => {
  const keys = await loadVapidKeys({ VAPID_PRIVATE_KEY: vapidSecret, PUBLIC_ORIGIN: "https://learn.example.com" });
  if (!keys) throw new Error("VAPID keys expected");
  return keys;
};

const payload: PushPayload = {
  title: "Course completed",
  body: "You finished “Edge <b>basics</b>”. Your certificate is ready.",
  url: "/certificates/0190a3c4",
  noticeId: "0190a3c4-0000-7000-8000-000000000001",
};

function subscription(path = "/push/device-1") {
  const subscriber = testSubscriber();
  return { subscriber, target: { endpoint: `${origin}${path}`, ...subscriber.keys } };
}

describe("a push the service accepts", () => {
  it("is POSTed encrypted and signed: the browser's key decrypts the payload, the VAPID JWT verifies for this origin", async () => {
    const keys = await vapid();
    const { subscriber, target } = subscription();
    answer = { status: 201, headers: { location: `${origin}/messages/m-1` } };

    const result = await sendWebPush(target, payload, keys);

    expect(result).toEqual({ outcome: "accepted", providerId: `${origin}/messages/m-1` });
    expect(received).toHaveLength(1);
    const request = the(received[0], "the request");
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/push/device-1");
    expect(request.headers["content-encoding"]).toBe("aes128gcm");
    expect(request.headers["content-type"]).toBe("application/octet-stream");
    expect(request.headers.ttl).toBe(String(24 * 60 * 60));
    expect(request.headers.urgency).toBe("normal");
    expect(JSON.parse(subscriber.decrypt(request.body))).toEqual(payload);

    const [, token, key] = the(/^vapid t=([^,]+), k=(.+)$/.exec(request.headers.authorization ?? ""), "VAPID");
    expect(key).toBe(keys.publicKey);
    const point = the(decodeBase64Url(the(key)));
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: encodeBase64Url(point.slice(1, 33)), y: encodeBase64Url(point.slice(33)) },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const { payload: claims } = await jwtVerify(the(token), publicKey, { audience: origin });
    expect(claims.sub).toBe("mailto:no-reply@learn.example.com");
  });

  it("carries the TTL and urgency asked for; without a Location the status is the provider id", async () => {
    const { target } = subscription();
    answer = { status: 202 };
    const result = await sendWebPush(target, payload, await vapid(), { ttlSeconds: 60, urgency: "high" });
    expect(result).toEqual({ outcome: "accepted", providerId: "202" });
    expect(the(received[0]).headers.ttl).toBe("60");
    expect(the(received[0]).headers.urgency).toBe("high");
  });
});

describe("a push the service refuses", () => {
  it.each([410, 404])("%i: the subscription is gone", async (status) => {
    answer = { status, body: "subscription expired" };
    const result = await sendWebPush(subscription().target, payload, await vapid());
    expect(result).toEqual({ outcome: "gone", error: `push service answered ${status}: subscription expired` });
  });

  it.each([503, 500, 429])("%i: temporary, to be retried", async (status) => {
    answer = { status, headers: { "retry-after": "30" } };
    const result = await sendWebPush(subscription().target, payload, await vapid());
    expect(result.outcome).toBe("temporary");
    expect(result).toHaveProperty("error", expect.stringContaining(`${status}`));
    expect(result).toHaveProperty("error", expect.stringContaining("retry after 30"));
  });

  it.each([400, 403, 413])("%i: permanent, sending it again would change nothing", async (status) => {
    answer = { status, body: "bad vapid" };
    const result = await sendWebPush(subscription().target, payload, await vapid());
    expect(result).toEqual({ outcome: "permanent", error: `push service answered ${status}: bad vapid` });
  });

  it("a push service that cannot be reached: temporary", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await sendWebPush(
      { ...subscription().target, endpoint: `http://127.0.0.1:${port}/push` },
      payload,
      await vapid(),
    );
    expect(result.outcome).toBe("temporary");
    expect(result).toHaveProperty("error", expect.stringContaining("unreachable"));
  });
});

describe("what is never sent", () => {
  it("a payload over 3993 bytes of JSON is permanent, and no request is made", async () => {
    const result = await sendWebPush(subscription().target, { ...payload, body: "x".repeat(4000) }, await vapid());
    expect(result.outcome).toBe("permanent");
    expect(result).toHaveProperty("error", expect.stringContaining("over the 3993-byte limit"));
    expect(received).toHaveLength(0);
  });

  it("keys that cannot be encrypted to are permanent, and no request is made", async () => {
    const target = { ...subscription().target, auth: "c2hvcnQ" };
    const result = await sendWebPush(target, payload, await vapid());
    expect(result).toEqual({ outcome: "permanent", error: "the subscription's auth secret is not 16 bytes" });
    expect(received).toHaveLength(0);
  });
});
