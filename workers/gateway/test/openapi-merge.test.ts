import { describe, expect, it } from "vitest";
import type { OpenApiDocument } from "../src/openapi/document.ts";
import { mergeOpenApiDocuments, OpenApiMergeError, sameJson, type DocumentSource } from "../src/openapi/merge.ts";

const problem = {
  type: "object",
  properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" } },
  required: ["type", "title", "status"],
};
const bearer = { type: "http", scheme: "bearer", bearerFormat: "JWT" };

function doc(paths: Record<string, unknown>, extra: Partial<OpenApiDocument> = {}): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: { title: "a worker", version: "9.9.9" },
    servers: [{ url: "http://internal" }],
    paths: paths as OpenApiDocument["paths"],
    components: { schemas: { Problem: problem }, securitySchemes: { bearer } },
    ...extra,
  };
}

const op = (summary: string) => ({ post: { summary, responses: { 204: { description: "done" } } } });
const options = { info: { title: "Edge Learning API", version: "0.1.0" }, serverUrl: "https://learn.example.com" };

describe("mergeOpenApiDocuments: happy path", () => {
  const auth: DocumentSource = {
    name: "auth",
    document: doc(
      { "/api/auth/login": op("sign in"), "/api/auth/logout": op("sign out") },
      {
        components: {
          schemas: { Problem: problem, LoginRequest: { type: "object" } },
          securitySchemes: { bearer },
        },
        tags: [{ name: "auth", description: "Accounts" }],
      },
    ),
    pathPrefixes: ["/api/auth"],
  };
  const courses: DocumentSource = {
    name: "courses",
    // The same Problem and bearer scheme, with keys in another order: still the same thing.
    document: doc(
      { "/api/courses": op("list"), "/api/courses/{id}": op("one") },
      {
        components: {
          schemas: {
            Problem: { required: problem.required, properties: problem.properties, type: "object" },
            Course: { type: "object" },
          },
          securitySchemes: { bearer },
        },
        tags: [{ name: "courses" }, { name: "auth", description: "Accounts" }],
      },
    ),
    pathPrefixes: ["/api/courses"],
  };
  const merged = mergeOpenApiDocuments([auth, courses], options);

  it("is one 3.1 document with our info and exactly one server: the origin it was asked from", () => {
    expect(merged.openapi).toBe("3.1.0");
    expect(merged.info).toEqual(options.info);
    expect(merged.servers).toEqual([{ url: "https://learn.example.com" }]);
  });

  it("holds every path of every source, operations untouched", () => {
    expect(Object.keys(merged.paths ?? {})).toEqual([
      "/api/auth/login",
      "/api/auth/logout",
      "/api/courses",
      "/api/courses/{id}",
    ]);
    expect(merged.paths?.["/api/courses/{id}"]).toEqual(op("one"));
  });

  it("merges components: each source's own, and the shared ones once", () => {
    expect(Object.keys(merged.components?.schemas ?? {}).sort()).toEqual(["Course", "LoginRequest", "Problem"]);
    expect(merged.components?.schemas?.Problem).toEqual(problem);
    expect(merged.components?.securitySchemes).toEqual({ bearer });
  });

  it("leaves out component kinds no source fills", () => {
    const empty = doc({}, { components: { schemas: {}, parameters: {} } });
    expect(mergeOpenApiDocuments([{ name: "users", document: empty }], options).components).toBeUndefined();
  });

  it("lists each tag once", () => {
    expect(merged.tags).toEqual([{ name: "auth", description: "Accounts" }, { name: "courses" }]);
  });

  it("does not change its inputs", () => {
    expect(auth.document.servers).toEqual([{ url: "http://internal" }]);
    expect(Object.keys(auth.document.paths ?? {})).toHaveLength(2);
  });
});

describe("mergeOpenApiDocuments: contradictions are errors", () => {
  it("refuses a path documented by two sources", () => {
    const merge = () =>
      mergeOpenApiDocuments(
        [
          { name: "auth", document: doc({ "/api/auth/login": op("sign in") }) },
          { name: "users", document: doc({ "/api/auth/login": op("another sign in") }) },
        ],
        options,
      );
    expect(merge).toThrow(OpenApiMergeError);
    expect(merge).toThrow("Both the auth and the users documents have /api/auth/login.");
  });

  it("refuses two different components under one name, naming both sources", () => {
    const other = doc({ "/api/users/me": op("me") }, { components: { schemas: { Problem: { type: "string" } } } });
    expect(() =>
      mergeOpenApiDocuments(
        [
          { name: "auth", document: doc({}) },
          { name: "users", document: other },
        ],
        options,
      ),
    ).toThrow("components.schemas.Problem differs between the auth and the users documents.");
  });

  it("refuses two different security schemes under one name", () => {
    const other = doc(
      {},
      { components: { securitySchemes: { bearer: { type: "apiKey", in: "header", name: "x-key" } } } },
    );
    expect(() =>
      mergeOpenApiDocuments(
        [
          { name: "auth", document: doc({}) },
          { name: "users", document: other },
        ],
        options,
      ),
    ).toThrow("components.securitySchemes.bearer differs");
  });

  it("refuses two different tags under one name", () => {
    const a = doc({}, { tags: [{ name: "auth", description: "Accounts" }] });
    const b = doc({}, { tags: [{ name: "auth", description: "Something else" }] });
    expect(() =>
      mergeOpenApiDocuments(
        [
          { name: "auth", document: a },
          { name: "users", document: b },
        ],
        options,
      ),
    ).toThrow("Tag auth differs between the auth and the users documents.");
  });

  it("refuses a path the gateway would not route to that source", () => {
    const source = { name: "auth", document: doc({ "/health": op("internal") }), pathPrefixes: ["/api/auth"] };
    expect(() => mergeOpenApiDocuments([source], options)).toThrow("The auth document has /health, outside /api/auth.");
    // A prefix is a path segment, not a string prefix: /api/authz is not under /api/auth.
    const lookalike = { ...source, document: doc({ "/api/authz": op("other") }) };
    expect(() => mergeOpenApiDocuments([lookalike], options)).toThrow(OpenApiMergeError);
    const exact = { ...source, document: doc({ "/api/auth": op("root") }) };
    expect(Object.keys(mergeOpenApiDocuments([exact], options).paths ?? {})).toEqual(["/api/auth"]);
  });

  it("refuses a document that is not OpenAPI 3.1", () => {
    const old = { name: "users", document: doc({}, { openapi: "3.0.3" }) };
    expect(() => mergeOpenApiDocuments([old], options)).toThrow("The users document is OpenAPI 3.0.3");
  });
});

describe("sameJson", () => {
  it("compares structure, not key order or identity", () => {
    expect(sameJson({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson("1", 1)).toBe(false);
  });
});
