import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { smokeTest } from "../src/smoke.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const HEALTHY = {
  status: "pass",
  gateway: { status: "pass" },
  services: { auth: { status: "pass" }, courses: { status: "pass" } },
  database: { status: "pass", schemas: { auth: "pass", courses: "pass" } },
  site: { status: "pass" },
};
const HOME = '<!doctype html><html><body><section data-row="new"><ul><li>A course</li></ul></section></body></html>';

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A gateway that answers like a healthy deployment, with any route replaced by the test's own. */
function gateway(overrides: Record<string, Handler> = {}): Handler {
  const routes: Record<string, Handler> = {
    "/api/health": (_req, res) => json(res, 200, HEALTHY),
    "/api/courses?limit=1": (_req, res) => json(res, 200, { items: [], nextCursor: null }),
    "/": (_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HOME),
    ...overrides,
  };
  return (request, response) => {
    const route = routes[request.url ?? ""];
    if (route) route(request, response);
    else json(response, 404, { title: "Not Found" });
  };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fast = { attempts: 2, retryDelayMs: 10, timeoutMs: 2_000 };

describe("smokeTest", () => {
  it("passes against a healthy gateway: health, the catalog, the site's home page", async () => {
    const results = await smokeTest(await serve(gateway()), fast);
    expect(results).toEqual([
      { name: "platform health", ok: true, detail: "GET /api/health" },
      { name: "catalog", ok: true, detail: "GET /api/courses?limit=1" },
      { name: "site home page", ok: true, detail: "GET /" },
    ]);
  });

  it("fails on a 503 health answer, naming the failing workers", async () => {
    const failing = { ...HEALTHY, status: "fail", services: { auth: { status: "pass" }, courses: { status: "fail" } } };
    const results = await smokeTest(
      await serve(gateway({ "/api/health": (_req, res) => json(res, 503, failing) })),
      fast,
    );
    expect(results[0]).toEqual({
      name: "platform health",
      ok: false,
      detail: "GET /api/health: 503, status fail; failing: courses",
    });
    expect(results.slice(1).every((result) => result.ok)).toBe(true);
  });

  it("fails when the catalog errs or answers something that is not a catalog page", async () => {
    let results = await smokeTest(
      await serve(gateway({ "/api/courses?limit=1": (_req, res) => json(res, 500, { title: "Internal" }) })),
      fast,
    );
    expect(results[1]).toMatchObject({ name: "catalog", ok: false, detail: "GET /api/courses?limit=1: 500" });
    await new Promise((resolve) => server?.close(resolve));
    results = await smokeTest(
      await serve(gateway({ "/api/courses?limit=1": (_req, res) => json(res, 200, { courses: [] }) })),
      fast,
    );
    expect(results[1]).toMatchObject({ ok: false, detail: expect.stringContaining("not a catalog page") });
  });

  it("fails when the home page renders without the catalog (the site cannot reach the API)", async () => {
    const unavailable =
      '<html><section data-row="new"><div data-state="unavailable">Not available</div></section></html>';
    const results = await smokeTest(
      await serve(
        gateway({ "/": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(unavailable) }),
      ),
      fast,
    );
    expect(results[2]).toMatchObject({ ok: false, detail: "GET /: the page says the catalog is unavailable" });
  });

  it("fails when the home page is not the site's (an error page, a redirect)", async () => {
    const results = await smokeTest(
      await serve(gateway({ "/": (_req, res) => res.writeHead(302, { location: "/elsewhere" }).end() })),
      fast,
    );
    expect(results[2]).toMatchObject({ ok: false, detail: "GET /: 302" });
  });

  it("retries while a fresh deploy spreads, and passes once it answers", async () => {
    let healthCalls = 0;
    const results = await smokeTest(
      await serve(
        gateway({
          "/api/health": (_req, res) => {
            healthCalls += 1;
            if (healthCalls < 3) json(res, 503, { ...HEALTHY, status: "fail", site: { status: "fail" } });
            else json(res, 200, HEALTHY);
          },
        }),
      ),
      { ...fast, attempts: 3 },
    );
    expect(healthCalls).toBe(3);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it("fails every check when nothing answers", async () => {
    const url = await serve(gateway());
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const results = await smokeTest(url, fast);
    expect(results.map((result) => result.ok)).toEqual([false, false, false]);
  });
});
