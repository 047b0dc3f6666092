import { describe, expect, it, vi } from "vitest";
import {
  PRINCIPAL_USER_HEADER,
  TRACEPARENT_HEADER,
  createServiceApp,
  currentTraceparent,
  logLine,
  parseTraceparent,
  runInSpan,
  type RequestLogLine,
} from "../src/index.ts";

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const CALLER = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

function appOf(options: { publicEntry?: boolean } = {}) {
  const lines: RequestLogLine[] = [];
  const app = createServiceApp({ service: "test", logSink: (line) => lines.push(JSON.parse(line)), ...options });
  app.get("/courses/:courseId", (c) => c.json({ traceparent: currentTraceparent() }));
  app.get("/as-signed-in", (c) => {
    // What the gateway's `authenticate` does: the verified principal as a context variable.
    c.set("principal" as never, { userId: "user-verified", roles: [] } as never);
    return c.json({});
  });
  app.get("/logs", (c) => {
    logLine("info", "test", "inside");
    return c.json({});
  });
  return { app, lines };
}

describe("a worker behind the gateway", () => {
  it("continues the caller's traceparent in a span of its own, and logs both ids and the parent", async () => {
    const { app, lines } = appOf();
    const response = await app.request("/courses/abc", { headers: { [TRACEPARENT_HEADER]: CALLER } });
    const { traceparent } = (await response.json()) as { traceparent: string };
    const inside = parseTraceparent(traceparent);
    expect(inside?.traceId).toBe(CALLER_TRACE);
    expect(inside?.spanId).not.toBe(CALLER_SPAN);
    expect(lines[0]).toMatchObject({ traceId: CALLER_TRACE, spanId: inside?.spanId, parentSpanId: CALLER_SPAN });
    expect(lines[0]?.linkedTraceId).toBeUndefined();
  });

  it("starts a trace when the caller sent none, or an invalid one", async () => {
    const { app, lines } = appOf();
    await app.request("/courses/abc");
    await app.request("/courses/abc", { headers: { [TRACEPARENT_HEADER]: `00-${"0".repeat(32)}-${CALLER_SPAN}-01` } });
    for (const line of lines) {
      expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(line.traceId).not.toBe("0".repeat(32));
      expect(line.parentSpanId).toBeUndefined();
    }
    expect(lines[0]?.traceId).not.toBe(lines[1]?.traceId);
  });

  it("logs the route pattern beside the path, and the user id the gateway forwarded", async () => {
    const { app, lines } = appOf();
    await app.request("/courses/abc?token=secret-in-query", { headers: { [PRINCIPAL_USER_HEADER]: "user-1" } });
    expect(lines[0]).toMatchObject({ route: "/courses/:courseId", path: "/courses/abc", userId: "user-1" });
    expect(JSON.stringify(lines[0])).not.toContain("secret-in-query");
  });

  it("names no route for a request no route answered", async () => {
    const { app, lines } = appOf();
    await app.request("/nowhere");
    expect(lines[0]).toMatchObject({ status: 404, path: "/nowhere" });
    expect(lines[0]?.route).toBeUndefined();
  });

  it("gives every other log line of the request the same trace and span ids", async () => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { app, lines } = appOf();
      await app.request("/logs", { headers: { [TRACEPARENT_HEADER]: CALLER } });
      const inside = printed.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
      expect(inside).toEqual([
        expect.objectContaining({ msg: "inside", traceId: CALLER_TRACE, spanId: lines[0]?.spanId }),
      ]);
    } finally {
      printed.mockRestore();
    }
  });

  it("never logs a header or the body: no Authorization, Cookie or password reaches the line", async () => {
    const { app, lines } = appOf();
    app.post("/login", async (c) => c.json(await c.req.json()));
    await app.request("/login?token=query-token", {
      method: "POST",
      headers: {
        authorization: "Bearer header.payload.signature-secret",
        cookie: "refresh_token=cookie-secret",
        "content-type": "application/json",
      },
      body: JSON.stringify({ password: "body-password-secret", card: "4242424242424242" }),
    });
    const text = JSON.stringify(lines);
    for (const secret of [
      "signature-secret",
      "cookie-secret",
      "body-password-secret",
      "4242424242424242",
      "query-token",
    ])
      expect(text).not.toContain(secret);
  });
});

describe("the public entry (the gateway)", () => {
  it("starts its own trace and keeps a caller's valid traceparent as a link only", async () => {
    const { app, lines } = appOf({ publicEntry: true });
    const response = await app.request("/courses/abc", { headers: { [TRACEPARENT_HEADER]: CALLER } });
    const { traceparent } = (await response.json()) as { traceparent: string };
    expect(parseTraceparent(traceparent)?.traceId).not.toBe(CALLER_TRACE);
    expect(lines[0]?.traceId).not.toBe(CALLER_TRACE);
    expect(lines[0]?.parentSpanId).toBeUndefined();
    expect(lines[0]?.linkedTraceId).toBe(CALLER_TRACE);
  });

  it("links nothing from an invalid traceparent, and never writes it into the line", async () => {
    const { app, lines } = appOf({ publicEntry: true });
    const forged = `00-${CALLER_TRACE.toUpperCase()}-${CALLER_SPAN}-01`;
    await app.request("/courses/abc", { headers: { [TRACEPARENT_HEADER]: forged } });
    expect(lines[0]?.linkedTraceId).toBeUndefined();
    expect(JSON.stringify(lines[0])).not.toContain(CALLER_TRACE.toUpperCase());
  });

  it("continues the span the request already runs in (the site's calls through SiteApi)", async () => {
    const { app, lines } = appOf({ publicEntry: true });
    const site = { traceId: CALLER_TRACE, spanId: CALLER_SPAN, flags: "01" };
    await runInSpan(site, () => app.request("/courses/abc"));
    expect(lines[0]).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN });
  });

  it("takes the user id only from the verified principal, never from a header the client sent", async () => {
    const { app, lines } = appOf({ publicEntry: true });
    await app.request("/courses/abc", { headers: { [PRINCIPAL_USER_HEADER]: "someone-else" } });
    await app.request("/as-signed-in", { headers: { [PRINCIPAL_USER_HEADER]: "someone-else" } });
    expect(lines[0]?.userId).toBeUndefined();
    expect(lines[1]?.userId).toBe("user-verified");
  });
});
