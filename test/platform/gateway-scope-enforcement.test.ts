import { beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress } from "../support/api.ts";
import { uniqueSlug } from "../support/courses.ts";
import { admin, type Person } from "../support/people.ts";
import { servicesThatSaw } from "../support/worker-log.ts";

/**
 * The gateway holds API keys and their client-credentials tokens to the scope each route declares
 * in the OpenAPI document (workers/gateway/src/auth/key-scope.ts), before forwarding: a refused
 * request gets 403 problem+json with an RFC 6750 `insufficient_scope` challenge (which only the
 * gateway sends), and the worker that owns the route logs no request for it. The worker's own check
 * (the same rule) is test/platform/api-keys.test.ts's.
 */

let owner: Person;
let run = 0;

const makeKey = async (scopes: string[]) => {
  const made = await api<{ key: string }>("POST", "/api/auth/api-keys", {
    token: owner.token,
    body: { name: "gateway scopes", scopes },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.key;
};

/** A client-credentials token for a key, narrowed to `scope`. */
const tokenFor = async (key: string, scope: string) => {
  const [id, secret] = [key.slice(0, 36), key.slice(37)];
  const answer = await fetch(`${gatewayUrl}/api/auth/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": newClientAddress(),
      authorization: `Basic ${btoa(`${id}:${secret}`)}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { access_token: string }).access_token;
};

/** A request with its own correlation id, so the workers' log lines for it can be found. */
const call = async (credential: string | undefined, method: string, path: string, body?: unknown) => {
  run += 1;
  const correlationId = `gateway-scope-${process.pid}-${Date.now()}-${run}`;
  const answer = await api(method, path, {
    headers: { "x-correlation-id": correlationId, ...(credential && { authorization: `Bearer ${credential}` }) },
    ...(body !== undefined && { body }),
  });
  return { ...answer, correlationId };
};

const newCourse = (credential: string | undefined) =>
  call(credential, "POST", "/api/courses", {
    title: "Through the gateway",
    slug: uniqueSlug("gateway-scope"),
    summary: "Made with a scoped credential.",
    language: "en",
    price: null,
  });

/** Refused by the gateway: 403 problem+json, its challenge, and no domain worker saw the request. */
async function expectGatewayRefusal(answer: Awaited<ReturnType<typeof call>>, detail: string, scope?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(403);
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: "/problems/forbidden", status: 403, detail });
  expect(answer.headers.get("www-authenticate")).toBe(
    scope
      ? `Bearer error="insufficient_scope", scope="${scope}"`
      : `Bearer error="insufficient_scope", error_description="the route is not open to API keys"`,
  );
  // The auth worker answers the key lookup over RPC; the route's own worker is never reached.
  const services = await servicesThatSaw(answer.correlationId);
  expect(services).toContain("gateway");
  expect(services.filter((service) => service !== "auth" && service !== "gateway")).toEqual([]);
}

beforeAll(async () => {
  owner = await admin("gateway-scopes-owner");
});

describe("an API key at the gateway", () => {
  it("without the route's scope gets 403 from the gateway, and the courses worker never sees it", async () => {
    const reader = await makeKey(["courses:read"]);
    const refused = await newCourse(reader);
    await expectGatewayRefusal(refused, "This API key lacks the scope courses:write.", "courses:write");
  });

  it("with the scope is forwarded, and the worker answers", async () => {
    const writer = await makeKey(["courses:write"]);
    const created = await newCourse(writer);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get("www-authenticate")).toBeNull();
    expect(await servicesThatSaw(created.correlationId)).toContain("courses");
    // The literal /api/courses/mine (courses:write), not the public /api/courses/{id} template.
    const mine = await call(writer, "GET", "/api/courses/mine");
    expect(mine.status).toBe(200);
  });

  it("is refused a route for people, and one the API does not have, before any worker", async () => {
    const key = await makeKey(["courses:read", "courses:write", "events:read"]);
    await expectGatewayRefusal(
      await call(key, "GET", "/api/notifications"),
      "API keys cannot use this route: it is for people.",
    );
    await expectGatewayRefusal(
      await call(key, "GET", "/api/users/me"),
      "API keys cannot use this route: it is for people.",
    );
    await expectGatewayRefusal(
      await call(key, "GET", "/api/courses/no/such/route"),
      "API keys cannot use this route: it is not in the API's OpenAPI document.",
    );
  });

  it("has HEAD held to the GET route's scope", async () => {
    const reader = await makeKey(["courses:read"]);
    const refused = await call(reader, "HEAD", "/api/events?limit=1");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBe(`Bearer error="insufficient_scope", scope="events:read"`);
    expect(await servicesThatSaw(refused.correlationId)).not.toContain("events");
  });
});

describe("a key's client-credentials token at the gateway", () => {
  it("is held to the scopes it was granted, as the key is", async () => {
    const key = await makeKey(["courses:read", "courses:write"]);
    const readOnly = await tokenFor(key, "courses:read");
    await expectGatewayRefusal(
      await newCourse(readOnly),
      "This API key lacks the scope courses:write.",
      "courses:write",
    );
    await expectGatewayRefusal(
      await call(readOnly, "GET", "/api/notifications"),
      "API keys cannot use this route: it is for people.",
    );
    const readWrite = await tokenFor(key, "courses:read courses:write");
    const created = await newCourse(readWrite);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await servicesThatSaw(created.correlationId)).toContain("courses");
  });
});

describe("people and anonymous callers", () => {
  it("are not checked for scopes: the workers decide, as before", async () => {
    const created = await newCourse(owner.token);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const notifications = await call(owner.token, "GET", "/api/notifications");
    expect(notifications.status).toBe(200);
    const anonymous = await newCourse(undefined);
    expect(anonymous.status).toBe(401);
    expect(await servicesThatSaw(anonymous.correlationId)).toContain("courses");
  });
});
