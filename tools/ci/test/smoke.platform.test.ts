import { describe, expect, inject, it } from "vitest";
import { smokeTest } from "../src/smoke.ts";

/**
 * The smoke test main.yml runs after a deploy, run against the real stack (every worker in wrangler dev, the
 * site, PostgreSQL): its checks hold for a working platform, so a failure after a deploy means the deploy.
 */
describe("smoke test against the running platform", () => {
  it("passes: health, the catalog and the site's home page", async () => {
    const results = await smokeTest(inject("gatewayUrl"), { attempts: 3, retryDelayMs: 1_000 });
    expect(results).toEqual([
      { name: "platform health", ok: true, detail: "GET /api/health" },
      { name: "catalog", ok: true, detail: "GET /api/courses?limit=1" },
      { name: "site home page", ok: true, detail: "GET /" },
    ]);
  });
});
