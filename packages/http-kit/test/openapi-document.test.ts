import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import { createApiApp, problemContent, serveOpenApiDocument } from "../src/openapi-app.ts";

type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, { description: string; content?: object }> }>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    securitySchemes: object;
  };
  tags?: object[];
};

function documentedApp(withRoutes: boolean) {
  const app = createApiApp({ service: "test", logSink: () => {} });
  app.get("/health", (c) => c.json({ status: "pass" }));
  serveOpenApiDocument(app, {
    title: "Edge Learning: test",
    version: "1.2.3",
    tags: [{ name: "things", description: "Things" }],
  });
  if (withRoutes) {
    app.openapi(
      createRoute({
        method: "post",
        path: "/api/test/things",
        tags: ["things"],
        request: {
          body: { required: true, content: { "application/json": { schema: z.object({ name: z.string().min(1) }) } } },
        },
        responses: { 201: { description: "Created" }, 409: { description: "Taken", content: problemContent } },
      }),
      (c) => c.body(null, 201),
    );
    app.openapi(
      createRoute({
        method: "get",
        path: "/api/test/things",
        security: [{ bearer: [] }],
        responses: {
          200: { description: "The things" },
          400: { description: "Our own words for 400", content: problemContent },
        },
      }),
      (c) => c.json([]),
    );
  }
  return app;
}

async function documentOf(app: ReturnType<typeof documentedApp>): Promise<Document> {
  const response = await app.request("/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe("serveOpenApiDocument", () => {
  it("serves an OpenAPI 3.1 document with the shared bearer scheme and Problem schema, even before any route exists", async () => {
    const document = await documentOf(documentedApp(false));
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toEqual({ title: "Edge Learning: test", version: "1.2.3" });
    expect(document.paths).toEqual({});
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: "http", scheme: "bearer", bearerFormat: "JWT" }),
    });
    expect(document.components.schemas.Problem?.required?.sort()).toEqual(["status", "title", "type"]);
    expect(document.tags).toEqual([{ name: "things", description: "Things" }]);
  });

  it("documents routes defined with createRoute, not internal plain routes (/health, /openapi.json)", async () => {
    const document = await documentOf(documentedApp(true));
    expect(Object.keys(document.paths)).toEqual(["/api/test/things"]);
  });

  it("adds the 400 every validated route can answer and a problem+json default, keeping what a route says itself", async () => {
    const { paths } = await documentOf(documentedApp(true));
    const post = paths["/api/test/things"]?.post?.responses ?? {};
    expect(Object.keys(post).sort()).toEqual(["201", "400", "409", "default"]);
    expect(post["400"]?.content).toEqual({
      "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
    });
    const get = paths["/api/test/things"]?.get?.responses ?? {};
    expect(get["400"]?.description).toBe("Our own words for 400");
    expect(Object.keys(get).sort()).toEqual(["200", "400", "default"]);
  });

  it("describes every field a real problem answer carries", async () => {
    const app = documentedApp(true);
    const documented = Object.keys((await documentOf(app)).components.schemas.Problem?.properties ?? {});
    const invalid = await app.request("/api/test/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "" }),
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as Record<string, unknown>;
    expect(Object.keys(body).length).toBeGreaterThan(5);
    for (const key of Object.keys(body)) expect(documented, key).toContain(key);
  });
});
