import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { createServiceApp } from "@platform/http-kit";
import type { OpenApiDocument } from "../src/openapi/document.ts";
import { forgetDocuments, openapiRoutes } from "../src/openapi/routes.ts";

/**
 * The gateway's two routes over stand-in service bindings (the real ones are covered by
 * test/platform/openapi.test.ts): what is fetched, how often, and what a failure looks like.
 */

type Answer = () => Response | Promise<Response>;

function workerDocument(service: string, paths: Record<string, unknown> = {}): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: { title: `Edge Learning: ${service}`, version: "0.1.0" },
    paths: paths as OpenApiDocument["paths"],
    components: { schemas: { Problem: { type: "object" } } },
  };
}

const login = { post: { summary: "Sign in", responses: { 200: { description: "ok" } } } };

function stack(overrides: Partial<Record<string, Answer>> = {}) {
  const calls: { service: string; url: string; correlationId: string | null }[] = [];
  const env: Record<string, unknown> = { JWT_ISSUER: "https://learn.example.com", JWT_AUDIENCE: "edge-learning-api" };
  for (const service of DOMAIN_SERVICES) {
    const answer: Answer =
      overrides[service] ??
      (() => Response.json(workerDocument(service, service === "auth" ? { "/api/auth/login": login } : {})));
    env[service.toUpperCase()] = {
      fetch: async (input: string, init?: RequestInit) => {
        calls.push({ service, url: input, correlationId: new Headers(init?.headers).get("x-correlation-id") });
        return answer();
      },
    };
  }
  const app = createServiceApp({ service: "gateway", logSink: () => {} });
  app.route("/", openapiRoutes);
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(`https://learn.example.com${path}`, { headers }, env);
  return { get, calls };
}

beforeEach(() => {
  forgetDocuments();
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe("GET /api/openapi.json", () => {
  it("merges every domain worker's document, asked on its internal /openapi.json, with the gateway's own paths", async () => {
    const { get, calls } = stack();
    const response = await get("/api/openapi.json", { "x-correlation-id": "docs-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    const document = (await response.json()) as OpenApiDocument;
    expect(document.info.title).toBe("Edge Learning API");
    expect(document.servers).toEqual([{ url: "https://learn.example.com" }]);
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining(["/api/health", "/.well-known/jwks.json", "/api/auth/login"]),
    );
    expect(calls.map((call) => call.service).sort()).toEqual([...DOMAIN_SERVICES].sort());
    for (const call of calls) {
      expect(call.url).toBe("http://internal/openapi.json");
      expect(call.correlationId).toBe("docs-1");
    }
  });

  it("carries an ETag and answers a matching If-None-Match with 304, no body and the same Cache-Control", async () => {
    const { get } = stack();
    const first = await get("/api/openapi.json");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await get("/api/openapi.json", { "if-none-match": etag ?? "" });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("asks the workers once a minute per isolate, not once per request", async () => {
    const { get, calls } = stack();
    await get("/api/openapi.json");
    await get("/api/openapi.json");
    await Promise.all([get("/api/openapi.json"), get("/api/openapi.json")]);
    expect(calls).toHaveLength(DOMAIN_SERVICES.length);
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 61_000);
    await get("/api/openapi.json");
    expect(calls).toHaveLength(2 * DOMAIN_SERVICES.length);
  });

  it("answers 502 problem+json naming no internals when a worker cannot give its document, and logs which one", async () => {
    const { get } = stack({ payments: () => new Response("boom", { status: 500 }) });
    const response = await get("/api/openapi.json");
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      type: "/problems/bad-gateway",
      detail: "The API description could not be assembled.",
    });
    expect(String(vi.mocked(console.error).mock.calls[0]?.[0])).toContain("payments: answered 500");
  });

  it("treats something that is not an OpenAPI document as a failure", async () => {
    const { get } = stack({ users: () => Response.json({ hello: "world" }) });
    expect((await get("/api/openapi.json")).status).toBe(502);
  });

  it("keeps serving the last good document when a refresh fails", async () => {
    let failing = false;
    const { get } = stack({
      courses: () => (failing ? new Response(null, { status: 503 }) : Response.json(workerDocument("courses"))),
    });
    expect((await get("/api/openapi.json")).status).toBe(200);
    failing = true;
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 61_000);
    const stale = await get("/api/openapi.json");
    expect(stale.status).toBe(200);
    expect(Object.keys(((await stale.json()) as OpenApiDocument).paths ?? {})).toContain("/api/auth/login");
  });

  it("answers 500 when documents contradict each other: a worker documenting a path it is not routed", async () => {
    const { get } = stack({ users: () => Response.json(workerDocument("users", { "/api/auth/login": login })) });
    const response = await get("/api/openapi.json");
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(String(vi.mocked(console.error).mock.calls[0]?.[0])).toContain(
      "The users document has /api/auth/login, outside /api/users.",
    );
  });
});

describe("GET /api/docs", () => {
  it("is an HTML page that renders /api/openapi.json, with a link for readers without JavaScript", async () => {
    const { get, calls } = stack();
    const response = await get("/api/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain('"url":"/api/openapi.json"');
    expect(html).toMatch(/<noscript>[\s\S]*<a href="\/api\/openapi.json">[\s\S]*<\/noscript>/);
    expect(calls).toHaveLength(0);
  });

  it("loads a pinned renderer from this origin, checked by SRI, after the one inline script its CSP allows by hash", async () => {
    const response = await stack().get("/api/docs");
    const html = await response.text();
    const renderer =
      /<script src="(\/_vendor\/scalar-api-reference-\d+\.\d+\.\d+\/standalone\.js)" integrity="(sha384-[A-Za-z0-9+/=]+)"><\/script>/.exec(
        html,
      );
    expect(renderer, "a same-origin, versioned renderer with its integrity").not.toBeNull();
    expect(html).not.toMatch(/<script src="(https?:)?\/\//);
    const inline = [...html.matchAll(/<script>([^<]+)<\/script>/g)].map((match) => match[1] ?? "");
    expect(inline).toHaveLength(1);
    // Before the renderer: it switches off the zod probe that would otherwise break script-src on every visit.
    expect(html.indexOf(`<script>${inline[0]}`)).toBeLessThan(html.indexOf(renderer?.[1] ?? ""));
    const hash = createHash("sha256")
      .update(inline[0] ?? "")
      .digest("base64");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("names no other origin anywhere in its CSP, and turns off what Scalar would fetch from its own servers", async () => {
    const response = await stack().get("/api/docs");
    const csp = response.headers.get("content-security-policy") ?? "";
    for (const directive of csp.split(";").map((part) => part.trim())) {
      const [, ...sources] = directive.split(/\s+/);
      const outside = sources.filter((source) => !/^'[^']+'$/.test(source) && source !== "data:");
      expect(outside, directive).toEqual([]);
    }
    const html = await response.text();
    expect(html).toContain('"withDefaultFonts":false');
    expect(html).toContain('"hideClientButton":true');
    expect(html).toContain('"telemetry":false');
    expect(html).not.toMatch(/scalar\.com|jsdelivr/);
  });
});
