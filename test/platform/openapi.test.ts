import { compileErrors, validate } from "@readme/openapi-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../support/api.ts";

/**
 * The merged OpenAPI document and its reference page, through the real gateway: every domain
 * worker's document fetched over its service binding, merged, and checked by an independent
 * OpenAPI 3.1 validator.
 */

type Schema = { $ref?: string; required?: string[]; properties?: Record<string, unknown> };
type Response = { description: string; content?: Record<string, { schema: Schema }> };
type Operation = {
  operationId?: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  tags?: string[];
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, string>> };
  tags?: { name: string }[];
};

let document: Document;
let headers: Headers;

beforeAll(async () => {
  const response = await api<Document>("GET", "/api/openapi.json");
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  document = response.body;
  headers = response.headers;
});

const componentOf = (schema: Schema | undefined): Schema => {
  const name = schema?.$ref?.replace("#/components/schemas/", "") ?? "";
  const component = document.components.schemas[name];
  if (!component) throw new Error(`no component behind ${schema?.$ref}`);
  return component;
};

const problemResponses = (operation: Operation) =>
  Object.entries(operation.responses).filter(
    ([, response]) => response.content?.["application/problem+json"]?.schema.$ref === "#/components/schemas/Problem",
  );

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (schema and semantic checks of an independent validator)", async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // validate() dereferences what it is given: hand it a copy.
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("describes the platform under one title, served from the origin it was asked from", () => {
    expect(document.info.title).toBe("Edge Learning API");
    expect(document.servers).toEqual([{ url: gatewayUrl }]);
    expect(headers.get("content-type")).toContain("application/json");
    expect(headers.get("cache-control")).toMatch(/max-age=\d+/);
  });

  it("documents only public paths: /api/* and /.well-known/*, never a worker's internal /health or /openapi.json", () => {
    const paths = Object.keys(document.paths);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path, path).toMatch(/^\/(api|\.well-known)\//);
    expect(paths).toContain("/api/health");
  });

  it("documents sign-up and sessions with their request schemas and problem+json errors", () => {
    for (const path of ["/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout"]) {
      const operation = document.paths[path]?.post;
      expect(operation, path).toBeDefined();
      if (!operation) continue;
      const body = operation.requestBody?.content["application/json"]?.schema;
      expect(componentOf(body).required, path).toBeDefined();
      expect(
        problemResponses(operation).map(([status]) => status),
        path,
      ).toContain("400");
    }
    const register = componentOf(
      document.paths["/api/auth/register"]?.post?.requestBody?.content["application/json"]?.schema,
    );
    expect(register.required?.sort()).toEqual(["email", "name", "password"]);
    // A taken address answers like a new registration (its owner is mailed instead): no 409 to document.
    expect(problemResponses(document.paths["/api/auth/register"]?.post as Operation).map(([s]) => s)).not.toContain(
      "409",
    );
    expect(problemResponses(document.paths["/api/auth/login"]?.post as Operation).map(([s]) => s)).toEqual(
      expect.arrayContaining(["401", "429"]),
    );
  });

  it("documents logout-all as needing a bearer access token, and its 401", () => {
    const operation = document.paths["/api/auth/logout-all"]?.post;
    expect(operation?.security).toEqual([{ bearer: [] }]);
    expect(problemResponses(operation as Operation).map(([status]) => status)).toContain("401");
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
  });

  it("has one Problem schema, the shape every error has", async () => {
    expect(componentOf({ $ref: "#/components/schemas/Problem" }).required?.sort()).toEqual(["status", "title", "type"]);
    const error = await api("POST", "/api/auth/login", { body: { email: "not an email" } });
    expect(error.status).toBe(400);
    const documented = Object.keys(componentOf({ $ref: "#/components/schemas/Problem" }).properties ?? {});
    for (const key of Object.keys(error.body)) expect(documented, key).toContain(key);
  });

  it("does not expose a domain worker's own document outside the merge", async () => {
    expect((await api("GET", "/api/auth/openapi.json")).status).toBe(404);
  });
});

describe("GET /api/docs", () => {
  it("is an HTML reference page that renders /api/openapi.json, with a plain link for readers without JavaScript", async () => {
    const response = await fetch(`${gatewayUrl}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain("/api/openapi.json");
    expect(html).toMatch(/<noscript>[\s\S]*href="\/api\/openapi.json"[\s\S]*<\/noscript>/);
  });
});
