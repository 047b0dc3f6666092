import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { importJWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { testSubscriber, the } from "./support/push-subscriber.ts";

/**
 * Web Push on the running platform: a learner's browser subscription (keys made by the test, as a browser would)
 * pointing at a push service on loopback; completing a course makes the notifications worker, in workerd, encrypt
 * the congratulation to those keys (RFC 8291) and sign the request (RFC 8292). The test decrypts what arrives with
 * the subscription's private key (Mozilla's `http_ece`, not the worker's code) and checks the VAPID token against
 * the public key the API serves. A push service that answers 410 has the subscription removed.
 */
interface Received {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

let pushService: Server;
let pushOrigin: string;
const received: Received[] = [];
/** What the push service answers: 201 (accepted) until a test says otherwise. */
let answer = 201;

let author: Person;
let course: CourseBody;

beforeAll(async () => {
  pushService = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(answer, answer === 201 ? { location: `${pushOrigin}/messages/${received.length}` } : {});
      response.end();
    });
  });
  await new Promise<void>((resolve) => pushService.listen(0, "127.0.0.1", resolve));
  pushOrigin = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  author = await instructor("push-author");
  course = await publishedCourse(author, { price: null, title: "Pushing <Things> Through" });
});

afterAll(async () => {
  await new Promise<void>((resolve) => pushService.close(() => resolve()));
});

/**
 * A new learner whose welcome is settled: it is composed when USER_CREATED is consumed, a moment after
 * registration, and would go to a subscription made in that moment too. The tests here are about later notices.
 */
async function settledLearner(tag: string): Promise<Person> {
  const person = await learner(tag);
  await expect
    .poll(async () => {
      const { rows } = await db.query<{ pending: number; total: number }>(
        "select count(*) filter (where status = 'pending')::int as pending, count(*)::int as total from notifications.deliveries where user_id = $1 and template = 'welcome'",
        [person.userId],
      );
      return rows[0]?.total !== 0 && rows[0]?.pending === 0;
    }, ASYNC_EFFECTS)
    .toBe(true);
  return person;
}

async function subscribe(person: Person, endpoint: string, keys: { p256dh: string; auth: string }) {
  const created = await api<{ id: string }>("POST", "/api/notifications/push-subscriptions", {
    token: person.token,
    body: { endpoint, expirationTime: null, keys },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function completeCourse(person: Person) {
  expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: person.token })).status).toBe(201);
  const outline = await api<{ lessons: { id: string }[] }>("GET", `/api/courses/${course.id}/lessons`, {
    token: person.token,
  });
  expect(outline.status).toBe(200);
  for (const lesson of outline.body.lessons) {
    const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
      token: person.token,
      body: { event: "completed" },
    });
    expect(done.status).toBe(200);
  }
}

/** What the push service received for one subscription's endpoint path. */
const messagesTo = (path: string) => received.filter((message) => message.path === path);

describe("Web Push through the whole platform", () => {
  it("a completed course's congratulation reaches the browser's push service, encrypted to its keys and signed with VAPID", async () => {
    const graduate = await settledLearner("push-graduate");
    const browser = testSubscriber();
    const path = `/push/${crypto.randomUUID()}`;
    await subscribe(graduate, `${pushOrigin}${path}`, browser.keys);

    await completeCourse(graduate);
    await expect.poll(() => messagesTo(path).length, ASYNC_EFFECTS).toBe(1);
    const message = the(messagesTo(path)[0], "the push message");

    expect(message.headers["content-encoding"]).toBe("aes128gcm");
    expect(Number(message.headers.ttl)).toBeGreaterThan(0);
    // The body is for this browser only: decrypted with its private key, by an implementation that is not ours.
    const payload = JSON.parse(browser.decrypt(message.body)) as { title: string; body: string; url: string | null };
    expect(payload.title).toBe("Course completed");
    expect(payload.body).toContain(course.title);
    expect(payload.url).toBe(`${gatewayUrl}/learning/certificates`);
    expect(() => testSubscriber().decrypt(message.body)).toThrow();

    // VAPID (RFC 8292): `vapid t=<jwt>, k=<key>`, k being the key the API serves, the token signed by it for this origin.
    const served = await api<{ publicKey: string }>("GET", "/api/notifications/push/public-key");
    expect(served.status).toBe(200);
    const authorization = /^vapid t=([^,\s]+),\s*k=([^,\s]+)$/.exec(message.headers.authorization ?? "");
    expect(authorization?.[2]).toBe(served.body.publicKey);
    const point = Buffer.from(served.body.publicKey, "base64url");
    const key = await importJWK(
      {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33).toString("base64url"),
      },
      "ES256",
    );
    const { payload: claims } = await jwtVerify(the(authorization?.[1], "the VAPID token"), key, {
      audience: pushOrigin,
    });
    expect(claims.sub).toMatch(/^(mailto|https):/);

    // The delivery log names the push service's receipt, once the worker has recorded the answer.
    await expect
      .poll(async () => {
        const { rows } = await db.query<{ status: string; provider_id: string }>(
          "select status, provider_id from notifications.deliveries where user_id = $1 and channel = 'push'",
          [graduate.userId],
        );
        return rows;
      }, ASYNC_EFFECTS)
      .toEqual([{ status: "sent", provider_id: `${pushOrigin}/messages/${received.indexOf(message) + 1}` }]);
  });

  it("a subscription whose push service answers 410 Gone is removed", async () => {
    const leaver = await settledLearner("push-gone");
    const browser = testSubscriber();
    const path = `/push/${crypto.randomUUID()}`;
    const subscriptionId = await subscribe(leaver, `${pushOrigin}${path}`, browser.keys);
    answer = 410;
    try {
      await completeCourse(leaver);
      await expect.poll(() => messagesTo(path).length, ASYNC_EFFECTS).toBe(1);
      await expect
        .poll(
          async () =>
            (await db.query("select 1 from notifications.push_subscriptions where id = $1", [subscriptionId])).rowCount,
          ASYNC_EFFECTS,
        )
        .toBe(0);
      // The subscription goes first, then the attempt's outcome is recorded: wait for the log to say failed.
      await expect
        .poll(async () => {
          const { rows } = await db.query<{ status: string }>(
            "select status from notifications.deliveries where user_id = $1 and channel = 'push'",
            [leaver.userId],
          );
          return rows;
        }, ASYNC_EFFECTS)
        .toEqual([{ status: "failed" }]);
    } finally {
      answer = 201;
    }
  });
});
