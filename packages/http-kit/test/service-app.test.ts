import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError, CORRELATION_HEADER, type RequestLogLine } from "../src/index.ts";
import { createApiApp } from "../src/openapi-app.ts";

function appWithRoutes() {
  const lines: string[] = [];
  const app = createApiApp({ service: "test", logSink: (line) => lines.push(line) });
  app.get("/ok", (c) => c.json({ ok: true }));
  app.get("/conflict", () => {
    throw new ProblemError("conflict", { detail: "That slug is taken." });
  });
  app.get("/crash", () => {
    throw new Error("password=hunter2 leaked from a driver");
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/things",
      request: {
        body: {
          content: { "application/json": { schema: z.object({ name: z.string().min(1), count: z.number().int() }) } },
        },
      },
      responses: { 201: { description: "created" } },
    }),
    (c) => c.json({ created: c.req.valid("json").name }, 201),
  );
  return { app, lines };
}

const postJson = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

describe("problem+json errors", () => {
  it("answers an unknown route with a 404 problem naming the route", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/nowhere");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({
      type: "/problems/not-found",
      title: "Not found",
      status: 404,
      detail: "No route for GET /nowhere.",
      instance: "/nowhere",
    });
    expect(body.correlationId).toBe(response.headers.get(CORRELATION_HEADER));
  });

  it("turns a thrown ProblemError into its status and detail", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/conflict");
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: "/problems/conflict", detail: "That slug is taken." });
  });

  it("hides the message of an unexpected error", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/crash");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toMatchObject({ type: "/problems/internal", status: 500 });
  });

  it("lists every invalid field of a body that fails its schema", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/things", postJson(JSON.stringify({ name: "", count: 1.5 })));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.type).toBe("/problems/validation-failed");
    expect(body.errors.map((error: { path: string }) => error.path).sort()).toEqual(["json.count", "json.name"]);
  });

  it("answers malformed JSON with a 400 problem, not a crash", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/things", postJson("{not json"));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).type).toBe("/problems/bad-request");
  });

  it("accepts a valid body", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/things", postJson(JSON.stringify({ name: "a", count: 2 })));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: "a" });
  });
});

describe("correlation id", () => {
  it("keeps a well-formed id from the caller and returns it", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/ok", { headers: { [CORRELATION_HEADER]: "checkout-42.a:b" } });
    expect(response.headers.get(CORRELATION_HEADER)).toBe("checkout-42.a:b");
  });

  it("creates an id when the caller sends none", async () => {
    const { app } = appWithRoutes();
    const response = await app.request("/ok");
    expect(response.headers.get(CORRELATION_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([["x".repeat(129)], ["has space"], ['quote"injection'], ["é"]])(
    "replaces an unsafe id (%s) instead of logging it",
    async (unsafe) => {
      const { app, lines } = appWithRoutes();
      const response = await app.request("/ok", { headers: { [CORRELATION_HEADER]: unsafe } });
      const returned = response.headers.get(CORRELATION_HEADER);
      expect(returned).not.toBe(unsafe);
      expect(returned).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.join("\n")).not.toContain(unsafe);
    },
  );
});

describe("request log", () => {
  it("writes exactly one JSON line per request with the correlation id and no query string", async () => {
    const { app, lines } = appWithRoutes();
    await app.request("/nowhere?token=secret", { headers: { [CORRELATION_HEADER]: "abc-123" } });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? "") as RequestLogLine;
    expect(line).toMatchObject({
      level: "warn",
      service: "test",
      msg: "request",
      method: "GET",
      path: "/nowhere",
      status: 404,
      correlationId: "abc-123",
    });
    expect(lines[0]).not.toContain("secret");
  });
});

describe("error text in logs", () => {
  it("keeps a failed query's parameters and PostgreSQL's quoted input out of the log line", async () => {
    const { DrizzleQueryError } = await import("drizzle-orm/errors");
    const { errorText } = await import("../src/request-log.ts");
    const pgError = Object.assign(new Error('invalid input syntax for type uuid: "client-secret-42"'), {
      code: "22P02",
      table: "oidc_providers",
    });
    const failed = new DrizzleQueryError(
      'insert into "auth"."oidc_providers" ("client_secret", "email") values ($1, $2)',
      ["client-secret-42", "someone@example.com"],
      pgError,
    );
    const text = errorText(failed);
    expect(text).toContain('insert into "auth"."oidc_providers"');
    expect(text).toContain("code 22P02");
    expect(text).toContain("table oidc_providers");
    expect(text).not.toContain("client-secret-42");
    expect(text).not.toContain("someone@example.com");
  });

  it("keeps the driver's own reason when the cause is not a PostgreSQL error", async () => {
    const { errorText } = await import("../src/request-log.ts");
    const failed = new Error("Failed query: select 1\nparams: ", {
      cause: new Error("Connection terminated unexpectedly"),
    });
    expect(errorText(failed)).toBe("Failed query: select 1 (cause: Connection terminated unexpectedly)");
  });

  it("logs an unexpected error through the same filter", async () => {
    const { vi } = await import("vitest");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const app = createApiApp({ service: "test", logSink: () => {} });
      app.get("/insert", () => {
        throw new Error("Failed query: insert into t values ($1)\nparams: hunter2-secret");
      });
      const response = await app.request("/insert");
      expect(response.status).toBe(500);
      const lines = logged.mock.calls.map((call) => String(call[0]));
      expect(lines.some((line) => line.includes("unhandled error") && line.includes("insert into t"))).toBe(true);
      expect(lines.join("\n")).not.toContain("hunter2-secret");
    } finally {
      logged.mockRestore();
    }
  });
});
