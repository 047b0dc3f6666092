import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import {
  CORRELATION_HEADER,
  ProblemError,
  createServiceApp,
  ifNoneMatchMatches,
  MAX_HASHED_JSON_BYTES,
} from "../src/index.ts";
import { createApiApp } from "../src/openapi-app.ts";

/**
 * ETag and If-None-Match on every app built from the kit (the domain workers' `createApiApp`, the
 * gateway's `createServiceApp`): which answers get a tag, when a request gets 304, and what a 304
 * carries. Driven through `app.request`, as a worker would be called.
 */

const catalog = { items: [{ id: "c1", title: "Edge APIs" }], nextCursor: null };

/** The tag the kit promises: SHA-256 of the exact body bytes, first 128 bits in hex, quoted. */
const expectedTag = (body: string) => `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;

function appWithRoutes() {
  const lines: string[] = [];
  const app = createApiApp({ service: "test", logSink: (line) => lines.push(line) });
  app.get("/catalog", (c) => {
    c.header("cache-control", "public, max-age=30");
    c.header("vary", "Accept-Language");
    c.header("x-cache", "hit");
    return c.json(catalog);
  });
  app.get("/mine", (c) => {
    c.header("cache-control", "private, no-cache");
    return c.json({ unlocked: ["l1", "l2"] });
  });
  app.get("/health", (c) => {
    c.header("cache-control", "no-store");
    return c.json({ status: "pass" });
  });
  app.get("/tagged", (c) => {
    c.header("etag", 'W/"v42"');
    return c.json({ version: 42 });
  });
  app.get("/text", (c) => c.text("plain words"));
  app.get("/conflict", () => {
    throw new ProblemError("conflict", { detail: "Taken." });
  });
  app.get("/missing", (c) => c.json({ error: "a JSON 404 written by hand" }, 404));
  app.post("/things", (c) => c.json({ created: true }));
  app.openapi(
    createRoute({
      method: "get",
      path: "/validated",
      request: { query: z.object({ limit: z.coerce.number().int().max(50) }) },
      responses: { 200: { description: "ok" } },
    }),
    (c) => c.json({ limit: c.req.valid("query").limit }, 200),
  );
  return { app, lines };
}

const get = (app: ReturnType<typeof appWithRoutes>["app"], path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers });

describe("ETag on JSON reads", () => {
  it("tags a JSON 200 with a strong ETag computed from its exact bytes, body and headers otherwise unchanged", async () => {
    const { app } = appWithRoutes();
    const response = await get(app, "/catalog");
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toBe(JSON.stringify(catalog));
    expect(response.headers.get("etag")).toBe(expectedTag(body));
    expect(response.headers.get("cache-control")).toBe("public, max-age=30");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("gives the same body the same tag and a changed body another", async () => {
    const { app } = appWithRoutes();
    const first = (await get(app, "/catalog")).headers.get("etag");
    expect((await get(app, "/catalog")).headers.get("etag")).toBe(first);
    const other = await get(app, "/validated?limit=5");
    expect(other.headers.get("etag")).not.toBe(first);
    expect((await get(app, "/validated?limit=6")).headers.get("etag")).not.toBe(other.headers.get("etag"));
  });

  it("keeps a tag the route set itself, and compares against it", async () => {
    const { app } = appWithRoutes();
    const response = await get(app, "/tagged");
    expect(response.headers.get("etag")).toBe('W/"v42"');
    const again = await get(app, "/tagged", { "if-none-match": '"v42"' });
    expect(again.status).toBe(304);
  });
});

describe("If-None-Match", () => {
  it("answers 304 with no body when the tag matches, keeping the fields caches need and dropping the body's", async () => {
    const { app, lines } = appWithRoutes();
    const first = await get(app, "/catalog");
    const etag = first.headers.get("etag") ?? "";
    const response = await get(app, "/catalog", { "if-none-match": etag, [CORRELATION_HEADER]: "revalidate-1" });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe("");
    expect(response.headers.get("etag")).toBe(etag);
    expect(response.headers.get("cache-control")).toBe("public, max-age=30");
    expect(response.headers.get("vary")).toBe("Accept-Language");
    expect(response.headers.get(CORRELATION_HEADER)).toBe("revalidate-1");
    expect(response.headers.get("x-cache")).toBe("hit");
    expect(response.headers.get("content-type")).toBeNull();
    expect(response.headers.get("content-length")).toBeNull();
    // The request log sees the 304 (the middleware sits inside it).
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({ path: "/catalog", status: 304 });
  });

  it("answers 200 with the body and the current tag when the tag does not match", async () => {
    const { app } = appWithRoutes();
    const response = await get(app, "/catalog", { "if-none-match": '"0123456789abcdef0123456789abcdef"' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(catalog);
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("compares weakly: W/ on either side still matches (Cloudflare weakens tags when it compresses)", async () => {
    const { app } = appWithRoutes();
    const etag = (await get(app, "/catalog")).headers.get("etag") ?? "";
    expect((await get(app, "/catalog", { "if-none-match": `W/${etag}` })).status).toBe(304);
    expect((await get(app, "/tagged", { "if-none-match": 'W/"v42"' })).status).toBe(304);
  });

  it("matches any tag in a list, and * whenever there is a representation", async () => {
    const { app } = appWithRoutes();
    const etag = (await get(app, "/catalog")).headers.get("etag") ?? "";
    expect((await get(app, "/catalog", { "if-none-match": `"stale", W/"older", ${etag}` })).status).toBe(304);
    expect((await get(app, "/catalog", { "if-none-match": `"stale",W/"older"` })).status).toBe(200);
    expect((await get(app, "/catalog", { "if-none-match": "*" })).status).toBe(304);
  });

  it("answers HEAD like GET: the same tag, and 304 when it matches", async () => {
    const { app } = appWithRoutes();
    const etag = (await get(app, "/catalog")).headers.get("etag");
    const head = await app.request("/catalog", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");
    const conditional = await app.request("/catalog", { method: "HEAD", headers: { "if-none-match": etag ?? "" } });
    expect(conditional.status).toBe(304);
  });

  it("tags and revalidates a private answer too (a browser keeps it; the 304 keeps it private)", async () => {
    const { app } = appWithRoutes();
    const etag = (await get(app, "/mine")).headers.get("etag") ?? "";
    const response = await get(app, "/mine", { "if-none-match": etag });
    expect(response.status).toBe(304);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
  });
});

describe("answers left alone", () => {
  it("does not tag or 304 errors, hand-written JSON 404s, validation failures or writes", async () => {
    const { app } = appWithRoutes();
    for (const [method, path, status] of [
      ["GET", "/conflict", 409],
      ["GET", "/missing", 404],
      ["GET", "/validated?limit=500", 400],
      ["GET", "/nowhere", 404],
      ["POST", "/things", 200],
    ] as const) {
      const response = await app.request(path, { method, headers: { "if-none-match": "*" } });
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.headers.get("etag"), `${method} ${path}`).toBeNull();
      expect((await response.text()).length, `${method} ${path}`).toBeGreaterThan(0);
    }
  });

  it("does not tag no-store answers: nothing keeps them, so nothing revalidates them", async () => {
    const { app } = appWithRoutes();
    const response = await get(app, "/health", { "if-none-match": "*" });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect(await response.json()).toEqual({ status: "pass" });
  });

  it("does not tag text", async () => {
    const { app } = appWithRoutes();
    const response = await get(app, "/text", { "if-none-match": "*" });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect(await response.text()).toBe("plain words");
  });

  it("never reads a streamed media body: it is handed on unread, without a tag", async () => {
    let pulls = 0;
    const app = createServiceApp({ service: "test", logSink: () => {} });
    app.get("/video", () => {
      // Pulled only when someone reads: a middleware that buffered or hashed it would pull it all.
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls += 1;
            if (pulls > 3) controller.close();
            else controller.enqueue(new Uint8Array(1024).fill(pulls));
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(stream, { headers: { "content-type": "video/mp4", "cache-control": "public, max-age=60" } });
    });
    const response = await app.request("/video", { headers: { "if-none-match": "*" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect(pulls).toBe(0);
    expect((await response.arrayBuffer()).byteLength).toBe(3 * 1024);
  });

  it("leaves a JSON body over the hashing limit untagged and whole", async () => {
    const app = createServiceApp({ service: "test", logSink: () => {} });
    const big = { blob: "x".repeat(MAX_HASHED_JSON_BYTES) };
    app.get("/big", (c) => c.json(big));
    const response = await app.request("/big", { headers: { "if-none-match": "*" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect((await response.text()).length).toBe(JSON.stringify(big).length);
  });

  it("passes a 304 or 206 the route answered itself through as it is", async () => {
    const app = createServiceApp({ service: "test", logSink: () => {} });
    app.get("/media", (c) =>
      c.req.header("range")
        ? new Response("ab", {
            status: 206,
            headers: { "content-type": "application/json", "content-range": "bytes 0-1/9" },
          })
        : new Response(null, { status: 304, headers: { etag: '"r2-tag"', "cache-control": "private, max-age=3600" } }),
    );
    const notModified = await app.request("/media", { headers: { "if-none-match": '"r2-tag"' } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe('"r2-tag"');
    const partial = await app.request("/media", { headers: { range: "bytes=0-1", "if-none-match": "*" } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("etag")).toBeNull();
    expect(await partial.text()).toBe("ab");
  });
});

describe("ifNoneMatchMatches", () => {
  it("follows RFC 9110 §13.1.2: weak comparison, lists, *, and nothing for absent or unquoted values", () => {
    expect(ifNoneMatchMatches('"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('W/"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"a"', 'W/"a"')).toBe(true);
    expect(ifNoneMatchMatches(' "x" , W/"a" ', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"a,b", "c"', '"a,b"')).toBe(true);
    expect(ifNoneMatchMatches('"a,b"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches(" * ", '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"A"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches("a", '"a"')).toBe(false);
    expect(ifNoneMatchMatches("", '"a"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"a"')).toBe(false);
    expect(ifNoneMatchMatches('w/"a"', '"b"')).toBe(false);
  });
});
