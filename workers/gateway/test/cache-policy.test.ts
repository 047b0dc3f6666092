import { describe, expect, it } from "vitest";
import { createServiceApp, PRINCIPAL_USER_HEADER } from "@platform/http-kit";
import { apiCachePolicy, cacheControlFor } from "../src/cache-policy.ts";

/**
 * Conditional requests and caching headers through the gateway's cache policy, in Node: a
 * stand-in courses worker built from the same kit as the real ones (so it tags JSON and answers
 * 304 the real way) behind a gateway-shaped app with the policy. Forwarding, token checks and CORS
 * are the real ones in conditional-get.platform.test.ts, against the running stack.
 */

const course = { id: "c1", title: "Edge APIs", lessons: 3 };

function courses() {
  const app = createServiceApp({ service: "courses", logSink: () => {} });
  app.get("/api/courses", (c) => {
    c.header("cache-control", "public, max-age=30, s-maxage=60");
    c.header("vary", "Accept-Language");
    return c.json([course]);
  });
  // As a worker would answer a learner's own view: who asked changes the body.
  app.get("/api/courses/c1/lessons", (c) => {
    const viewer = c.req.header(PRINCIPAL_USER_HEADER);
    c.header("cache-control", "public, max-age=30");
    return c.json({ viewer: viewer ?? null, access: viewer ? "full" : "preview" });
  });
  app.get("/api/courses/c1", (c) => c.json(course));
  app.get("/api/courses/c1/secret", (c) => {
    c.header("cache-control", "no-store");
    return c.json({ secret: true });
  });
  return app;
}

function gateway() {
  const seen: Request[] = [];
  const worker = courses();
  const app = createServiceApp({ service: "gateway", logSink: () => {} });
  app.use("/api/*", apiCachePolicy);
  // Forwarding as forward.ts does it, with any bearer token standing for user u1 (token checks
  // are tested elsewhere): every request header goes on, and the answer comes back re-wrapped.
  app.all("/api/*", async (c) => {
    const headers = new Headers(c.req.raw.headers);
    if (c.req.header("authorization")) headers.set(PRINCIPAL_USER_HEADER, "u1");
    const forwarded = new Request(c.req.raw, { headers });
    seen.push(forwarded.clone());
    const response = await worker.fetch(forwarded);
    return new Response(response.body, response);
  });
  const request = (path: string, init: RequestInit = {}) => app.request(`https://learn.example.com${path}`, init);
  return { request, seen };
}

const varyOf = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

describe("conditional GETs through the gateway", () => {
  it("passes ETag, Cache-Control and the worker's Vary through, and If-None-Match to the worker", async () => {
    const { request, seen } = gateway();
    const first = await request("/api/courses");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=30, s-maxage=60");
    expect(varyOf(first).sort()).toEqual(["accept-language", "authorization", "cookie"]);

    const second = await request("/api/courses", { headers: { "if-none-match": etag ?? "" } });
    expect(seen.at(-1)?.headers.get("if-none-match")).toBe(etag);
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toBe("public, max-age=30, s-maxage=60");
    expect(varyOf(second).sort()).toEqual(["accept-language", "authorization", "cookie"]);
    expect(second.headers.get("content-type")).toBeNull();
  });

  it("answers HEAD with the GET's tag, and 304 to a matching HEAD", async () => {
    const { request } = gateway();
    const etag = (await request("/api/courses")).headers.get("etag") ?? "";
    const head = await request("/api/courses", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");
    expect((await request("/api/courses", { method: "HEAD", headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("answers 200 with the new tag when the worker's answer changed (a stale tag)", async () => {
    const { request } = gateway();
    const response = await request("/api/courses", { headers: { "if-none-match": '"stale"' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([course]);
  });
});

describe("who may keep an answer", () => {
  it("makes an answer to a request with a bearer token private, even where the worker said public", async () => {
    const { request } = gateway();
    const signedIn = await request("/api/courses", { headers: { authorization: "Bearer a.b.c" } });
    expect(signedIn.headers.get("cache-control")).toBe("private, max-age=30");
    expect(varyOf(signedIn)).toContain("authorization");
    const etag = signedIn.headers.get("etag") ?? "";
    const revalidated = await request("/api/courses", {
      headers: { authorization: "Bearer a.b.c", "if-none-match": etag },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("cache-control")).toBe("private, max-age=30");
  });

  it("does the same for a request that carries cookies", async () => {
    const { request } = gateway();
    const response = await request("/api/courses/c1/lessons", { headers: { cookie: "session=abc" } });
    expect(response.headers.get("cache-control")).toBe("private, max-age=30");
  });

  it("keeps anonymous and signed-in answers apart: different bodies, different tags, Vary: Authorization", async () => {
    const { request } = gateway();
    const anonymous = await request("/api/courses/c1/lessons");
    expect(await anonymous.json()).toEqual({ viewer: null, access: "preview" });
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=30");
    expect(varyOf(anonymous)).toEqual(expect.arrayContaining(["authorization", "cookie"]));

    const signedIn = await request("/api/courses/c1/lessons", { headers: { authorization: "Bearer a.b.c" } });
    expect(await signedIn.json()).toEqual({ viewer: "u1", access: "full" });
    expect(signedIn.headers.get("etag")).not.toBe(anonymous.headers.get("etag"));
    // The worker said public for both; the signed-in answer still never becomes one a shared cache keeps.
    expect(signedIn.headers.get("cache-control")).toBe("private, max-age=30");
    // And the anonymous tag does not revalidate the signed-in view.
    const crossed = await request("/api/courses/c1/lessons", {
      headers: { authorization: "Bearer a.b.c", "if-none-match": anonymous.headers.get("etag") ?? "" },
    });
    expect(crossed.status).toBe(200);
  });

  it("marks an answer that says nothing about caching no-cache (private when signed in)", async () => {
    const { request } = gateway();
    expect((await request("/api/courses/c1")).headers.get("cache-control")).toBe("no-cache");
    const signedIn = await request("/api/courses/c1", { headers: { authorization: "Bearer a.b.c" } });
    expect(signedIn.headers.get("cache-control")).toBe("private, no-cache");
  });

  it("leaves no-store alone, with no tag", async () => {
    const { request } = gateway();
    const response = await request("/api/courses/c1/secret", { headers: { authorization: "Bearer a.b.c" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
  });

  it("puts the same headers on errors, which get no tag", async () => {
    const { request } = gateway();
    const response = await request("/api/courses/c1/none", { headers: { "if-none-match": "*" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("etag")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(varyOf(response)).toEqual(expect.arrayContaining(["authorization", "cookie"]));
  });
});

describe("cacheControlFor", () => {
  it.each([
    // [worker's value, credentialed, what leaves the gateway]
    ["public, max-age=30", false, "public, max-age=30"],
    ["public, max-age=30", true, "private, max-age=30"],
    ["Public, S-MaxAge=60, max-age=5, proxy-revalidate", true, "private, max-age=5"],
    ["max-age=30, must-revalidate", true, "private, max-age=30, must-revalidate"],
    ["private, max-age=3600", true, "private, max-age=3600"],
    ["no-store", true, "no-store"],
    ["public, no-store", true, "public, no-store"],
    [null, false, "no-cache"],
    [null, true, "private, no-cache"],
    ["", true, "private, no-cache"],
    ["public, max-age=86400, immutable", false, "public, max-age=86400, immutable"],
  ] as const)("%s (credentials: %s) → %s", (current, credentialed, expected) => {
    expect(cacheControlFor(current, credentialed)).toBe(expected);
  });
});
