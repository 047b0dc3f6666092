import { describe, expect, inject, it } from "vitest";
import { gatewayUrl, newClientAddress } from "../../../test/support/api.ts";
import { servicesThatSaw } from "../../../test/support/worker-log.ts";

/** The test stack lists two origins in CORS_ORIGINS (test/setup/platform.ts). */
const [allowed = "", alsoAllowed = ""] =
  inject("gatewayVars")
    .CORS_ORIGINS?.split(",")
    .map((origin) => origin.trim()) ?? [];
const stranger = "https://evil.example";

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${gatewayUrl}${path}`, { headers: { "cf-connecting-ip": newClientAddress(), ...headers } });

const preflight = (path: string, origin: string, correlationId: string) =>
  fetch(`${gatewayUrl}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
      "x-correlation-id": correlationId,
      "cf-connecting-ip": newClientAddress(),
    },
  });

const varyOf = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

const CORS_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
];

describe("a listed origin", () => {
  it("is echoed back, never as *, with credentials allowed and the useful headers exposed", async () => {
    for (const origin of [allowed, alsoAllowed]) {
      const response = await get("/api/courses/cors/probe", { origin });
      await response.body?.cancel();
      expect(response.status).toBe(404); // the courses worker's own answer, decorated by the gateway
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-credentials")).toBe("true");
      expect(response.headers.get("access-control-expose-headers")).toMatch(/X-Correlation-Id/);
      expect(response.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);
      // A page's script may read the tag it revalidates with.
      expect(response.headers.get("access-control-expose-headers")).toMatch(/ETag/);
      expect(varyOf(response)).toContain("origin");
    }
  });

  it("gets the headers on the gateway's own errors too, so the page can read them", async () => {
    const response = await get("/api/courses/x", { origin: allowed, authorization: "Bearer not.a.token" });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(await response.json()).toMatchObject({ type: "/problems/unauthorized" });
  });

  it("has its preflight answered by the gateway: 204 with the methods, headers and credentials allowed", async () => {
    const id = `cors-preflight-${Date.now()}`;
    const response = await preflight("/api/auth/login", allowed, id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("access-control-allow-methods")).toMatch(/\bPOST\b/);
    const allowedHeaders = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    expect(allowedHeaders).toContain("authorization");
    expect(allowedHeaders).toContain("content-type");
    expect(allowedHeaders).toContain("if-none-match");
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(varyOf(response)).toContain("origin");
    expect(await servicesThatSaw(id)).toEqual(["gateway"]);
  });
});

describe("an origin that is not listed", () => {
  it("gets no CORS header at all (the browser keeps the answer from the page), but still Vary: Origin", async () => {
    for (const origin of [stranger, "null", `${allowed}.evil.example`, allowed.replace("https:", "http:")]) {
      const response = await get("/api/courses/cors/probe", { origin });
      await response.body?.cancel();
      for (const name of CORS_HEADERS) expect(response.headers.get(name), `${origin}: ${name}`).toBeNull();
      expect(varyOf(response)).toContain("origin");
    }
  });

  it("has its preflight answered 204 by the gateway without granting anything", async () => {
    const id = `cors-preflight-refused-${Date.now()}`;
    const response = await preflight("/api/auth/login", stranger, id);
    expect(response.status).toBe(204);
    for (const name of CORS_HEADERS) expect(response.headers.get(name), name).toBeNull();
    expect(varyOf(response)).toContain("origin");
    expect(await servicesThatSaw(id)).toEqual(["gateway"]);
  });
});

describe("a same-origin or non-browser request (no Origin header)", () => {
  it("is served as before, without CORS headers", async () => {
    const response = await get("/");
    expect(response.status).toBe(200);
    await response.body?.cancel();
    for (const name of CORS_HEADERS) expect(response.headers.get(name), name).toBeNull();
    expect(varyOf(response)).toContain("origin");
  });
});
