import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, isStorableText, requireStorableText, unstorableTextErrors } from "../src/index.ts";
import { createApiApp } from "../src/openapi-app.ts";

describe("isStorableText", () => {
  it.each([
    ["plain text", "A course to learn from"],
    ["the empty string", ""],
    ["accents, symbols and CJK", "Épreuve € 学ぶ"],
    ["an emoji (a surrogate pair)", "learn 😀 fast"],
    ["two pairs in a row", "😀😀"],
    ["control characters other than NUL", "tab\there\u0001\u001f"],
    ["U+FFFD and the last code point", "\uFFFD\u{10FFFF}"],
  ])("stores %s", (_, text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it.each([
    ["a NUL character", "a\u0000b"],
    ["only a NUL character", "\u0000"],
    ["a lone high surrogate", "\uD800"],
    ["a lone low surrogate", "x\uDC00y"],
    ["a high surrogate at the end", "text\uD83D"],
    ["a pair in the wrong order", "\uDE00\uD83D"],
    ["a high surrogate before a pair", "\uD800\uD800\uDC00"],
  ])("refuses %s", (_, text) => {
    expect(isStorableText(text)).toBe(false);
  });
});

describe("unstorableTextErrors", () => {
  it("finds nothing in storable values of any shape", () => {
    expect(
      unstorableTextErrors({ title: "ok", n: 3, on: true, none: null, at: new Date(0), tags: ["a", "😀"] }, "json"),
    ).toEqual([]);
    expect(unstorableTextErrors(42, "query")).toEqual([]);
  });

  it("names every offending field, nested in objects and arrays, in the order of the request", () => {
    const errors = unstorableTextErrors(
      { title: "a\u0000", ok: "fine", lessons: [{ body: "ok" }, { body: "\uD800", tags: ["x", "\u0000"] }] },
      "json",
    );
    expect(errors.map((error) => error.path)).toEqual(["json.title", "json.lessons.1.body", "json.lessons.1.tags.1"]);
    expect(errors[0]?.message).toMatch(/NUL/);
    expect(errors[1]?.message).toMatch(/lone surrogate/);
  });

  it("checks a bare string under its target's name", () => {
    expect(unstorableTextErrors("\u0000", "param.key")).toEqual([
      { path: "param.key", message: expect.stringMatching(/NUL/) },
    ]);
  });

  it("refuses an object key that cannot be stored, shown without the bad character", () => {
    const errors = unstorableTextErrors({ metadata: { "a\u0000b": "value", ok: "\uDC00" } }, "json");
    expect(errors).toEqual([
      { path: "json.metadata.a\uFFFDb", message: expect.stringMatching(/^its name contains a NUL/) },
      { path: "json.metadata.ok", message: expect.stringMatching(/lone surrogate/) },
    ]);
  });

  it("walks a value nested deeper than the call stack would allow", () => {
    let deep: unknown = "\u0000";
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(unstorableTextErrors(deep, "json")).toHaveLength(1);
  });
});

describe("requireStorableText", () => {
  it("throws 400 validation-failed with the field errors, and nothing for storable text", () => {
    expect(() => requireStorableText({ cursor: "ok" }, "query")).not.toThrow();
    let thrown: unknown;
    try {
      requireStorableText({ cursor: "2020|\u0000" }, "query");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    expect(thrown).toMatchObject({
      code: "validation-failed",
      status: 400,
      init: { errors: [{ path: "query.cursor" }] },
    });
  });
});

describe("createApiApp's validation hook", () => {
  function app() {
    const api = createApiApp({ service: "test", logSink: () => undefined });
    // Mounted with `route`, as the workers mount theirs: the sub-app inherits the hook.
    const things = new OpenAPIHono().openapi(
      createRoute({
        method: "post",
        path: "/things/{slug}",
        request: {
          params: z.object({ slug: z.string() }),
          query: z.object({ q: z.string().optional() }),
          body: {
            content: {
              "application/json": {
                schema: z.object({ name: z.string().trim().min(1), tags: z.array(z.string()).default([]) }),
              },
            },
          },
        },
        responses: { 201: { description: "created" } },
      }),
      (c) => c.json({ created: c.req.valid("json").name }, 201),
    );
    api.route("/", things);
    return api;
  }
  const post = (path: string, body: unknown) =>
    app().request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("lets storable text through", async () => {
    const response = await post("/things/ok?q=words", { name: "A thing 😀", tags: ["x"] });
    expect(response.status).toBe(201);
  });

  it.each([
    ["a NUL in a body field", "/things/ok", { name: "a\u0000b" }, ["json.name"]],
    ["a lone surrogate in a body field", "/things/ok", { name: "\uD800" }, ["json.name"]],
    [
      "bad text deep in an array",
      "/things/ok",
      { name: "ok", tags: ["fine", "\uDC00", "\u0000"] },
      ["json.tags.1", "json.tags.2"],
    ],
    ["a NUL in the query", "/things/ok?q=a%00b", { name: "ok" }, ["query.q"]],
    ["a NUL in a path parameter", "/things/a%00b", { name: "ok" }, ["param.slug"]],
  ])("answers 400 validation-failed for %s, naming the field", async (_, path, body, fields) => {
    const response = await post(path, body);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { type: string; errors: { path: string }[] };
    expect(problem.type).toBe("/problems/validation-failed");
    expect(problem.errors.map((error) => error.path)).toEqual(fields);
  });
});
