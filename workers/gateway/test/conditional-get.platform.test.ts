import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORRELATION_HEADER } from "@platform/http-kit";
import { gatewayUrl, newClientAddress } from "../../../test/support/api.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/**
 * ETag and If-None-Match end to end: a client → the gateway (wrangler dev) → the courses worker
 * over its service binding → PostgreSQL, and back. The middleware's cases one by one are in
 * packages/http-kit/test/conditional-get.test.ts and the gateway's policy in cache-policy.test.ts.
 */

const CATALOG = "/api/courses?limit=5";

/** A raw fetch through the gateway (the shared `api()` helper parses bodies, and a 304 has none). */
function through(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${gatewayUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { "cf-connecting-ip": newClientAddress(), ...init.headers },
  });
}

const varyOf = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

let author: Person;
beforeAll(async () => {
  author = await instructor("etag-author");
});
afterAll(() => db.end());

describe("the catalog through the gateway", () => {
  it("answers 200 with an ETag, 304 with no body to a matching If-None-Match, and 200 with a new tag after a change", async () => {
    const first = await through(CATALOG);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    await first.arrayBuffer();

    const again = await through(CATALOG, {
      headers: { "if-none-match": etag ?? "", [CORRELATION_HEADER]: "etag-304" },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(again.headers.get("vary")).toBe(first.headers.get("vary"));
    expect(again.headers.get(CORRELATION_HEADER)).toBe("etag-304");

    // A weak form of the same tag (what a compressing proxy hands the client) and a list holding it.
    expect((await through(CATALOG, { headers: { "if-none-match": `W/${etag}` } })).status).toBe(304);
    expect((await through(CATALOG, { headers: { "if-none-match": `"older", ${etag}` } })).status).toBe(304);

    const course = await publishedCourse(author, { title: "A course that changes the first page", price: null });
    // The catalog page is cached in KV and invalidated by the publication's event: wait for it.
    await expect
      .poll(
        async () => {
          const response = await through(CATALOG, { headers: { "if-none-match": etag ?? "" } });
          await response.arrayBuffer();
          return response.status;
        },
        { ...ASYNC_EFFECTS, message: "the old tag no longer matching once the course is published" },
      )
      .toBe(200);
    const now = await through(CATALOG);
    const body = (await now.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((item) => item.id)).toContain(course.id);
    expect(now.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(now.headers.get("etag")).not.toBe(etag);
    // The new tag is the one that revalidates now.
    expect((await through(CATALOG, { headers: { "if-none-match": now.headers.get("etag") ?? "" } })).status).toBe(304);
  });

  it("answers HEAD with the GET's tag and no body, and 304 to a matching HEAD", async () => {
    const get = await through(CATALOG);
    const etag = get.headers.get("etag") ?? "";
    await get.arrayBuffer();
    const head = await through(CATALOG, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");
    expect((await through(CATALOG, { method: "HEAD", headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("hands back the worker's ETag, Cache-Control and Vary as the worker answered them", async () => {
    const courses = await bindTo<Fetcher>("platform-courses");
    try {
      const direct = await courses.binding.fetch(`http://internal${CATALOG}`);
      const directBody = await direct.text();
      const viaGateway = await through(CATALOG);
      // Same rows, same bytes: nothing published in between (files run one at a time).
      expect(await viaGateway.text()).toBe(directBody);
      expect(viaGateway.headers.get("etag")).toBe(direct.headers.get("etag"));
      expect(viaGateway.headers.get("cache-control")).toBe(direct.headers.get("cache-control"));
      for (const name of varyOf(direct).filter(Boolean)) expect(varyOf(viaGateway)).toContain(name);
      expect(varyOf(viaGateway)).toEqual(expect.arrayContaining(["origin", "authorization", "cookie"]));
    } finally {
      await courses.dispose();
    }
  });

  it("never lets a signed-in caller's answer be kept by a shared cache", async () => {
    const someone = await learner("etag-signed-in");
    const response = await through(CATALOG, { headers: { authorization: `Bearer ${someone.token}` } });
    expect(response.status).toBe(200);
    const directives = (response.headers.get("cache-control") ?? "").split(",").map((value) => value.trim());
    expect(directives).toContain("private");
    expect(directives).not.toContain("public");
    expect(directives.some((directive) => directive.startsWith("s-maxage"))).toBe(false);
    expect(varyOf(response)).toContain("authorization");
    // Revalidation still works for the browser that keeps it.
    const etag = response.headers.get("etag") ?? "";
    await response.arrayBuffer();
    const again = await through(CATALOG, {
      headers: { authorization: `Bearer ${someone.token}`, "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});

describe("the gateway's own JSON routes", () => {
  it("tags the merged OpenAPI document and answers 304 to it", async () => {
    const first = await through("/api/openapi.json");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    await first.arrayBuffer();
    const again = await through("/api/openapi.json", { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
  });

  it("gives health, which is no-store, no tag: nothing may keep it to revalidate", async () => {
    const response = await through("/api/health", { headers: { "if-none-match": "*" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
    expect([200, 503]).toContain(response.status);
    await response.arrayBuffer();
  });
});
