import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { createServiceApp, gaugeFamily, type FamilySnapshot } from "@platform/http-kit";
import { servePlatformMetrics } from "../src/metrics/route.ts";

/**
 * `GET /metrics` over stand-in service bindings (the real workers are in test/platform/metrics.test.ts):
 * who may read it, and that one sick worker does not blank the view.
 */
const TOKEN = "a-scrape-token-for-this-test-only";
type Snapshot = () => Promise<FamilySnapshot[]>;

function gateway(env: Record<string, unknown>, answers: Partial<Record<string, Snapshot>> = {}) {
  for (const service of DOMAIN_SERVICES) {
    env[service.toUpperCase()] = {
      metricsSnapshot:
        answers[service] ??
        (() =>
          Promise.resolve([
            gaugeFamily(service, "outbox_pending_events", [{ labels: { schema: service }, value: 0 }]),
          ])),
    };
  }
  const app = createServiceApp({ service: "gateway", logSink: () => {} });
  app.get("/metrics", servePlatformMetrics);
  return (headers: Record<string, string> = {}) => app.request("https://learn.example.com/metrics", { headers }, env);
}

beforeEach(() => vi.spyOn(console, "warn").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe("GET /metrics", () => {
  it("does not exist where METRICS_TOKEN is unset (production): 404, whatever the caller sends", async () => {
    const response = await gateway({})({ authorization: "Bearer anything" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers only the scrape token: a longer, shorter or differently cased token is refused", async () => {
    const get = gateway({ METRICS_TOKEN: TOKEN });
    for (const token of [`${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase()]) {
      expect((await get({ authorization: `Bearer ${token}` })).status, token).toBe(401);
    }
    expect((await get({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("goes on without a worker that fails or does not answer in time, and counts each in metrics_scrape_errors_total", async () => {
    const get = gateway(
      { METRICS_TOKEN: TOKEN, HEALTH_TIMEOUT_MS: "200" },
      {
        users: () => Promise.reject(new Error("the users worker is down")),
        events: () => new Promise(() => {}),
      },
    );
    const response = await get({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const service of DOMAIN_SERVICES.filter((s) => s !== "users" && s !== "events")) {
      expect(text).toContain(`outbox_pending_events{service="${service}",schema="${service}"} 0`);
    }
    expect(text).not.toContain('outbox_pending_events{service="users"');
    expect(text).toMatch(/metrics_scrape_errors_total\{service="gateway",target="users"\} \d+/);
    expect(text).toMatch(/metrics_scrape_errors_total\{service="gateway",target="events"\} \d+/);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("the users worker is down"));
  });
});
