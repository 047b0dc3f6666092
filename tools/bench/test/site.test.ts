import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Result } from "lighthouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { javaScriptMeetsBudget, renderSitePages, type SitePageMeasurement } from "../src/scenarios/site.ts";
import { findingsOf, medianScores, scoresOf } from "../src/site/lighthouse-run.ts";
import { isJavaScript, summarizeWeight, type LoadedResource } from "../src/site/page-weight.ts";
import { firstRenderAfterChange, summarizeTtfb, timeToFirstByte, ttfbAgent } from "../src/site/ttfb.ts";

const resource = (overrides: Partial<LoadedResource>): LoadedResource => ({
  url: "http://127.0.0.1/x",
  resourceType: "other",
  contentType: "",
  status: 200,
  bytes: 0,
  gzipBytes: 0,
  ...overrides,
});

describe("page weight", () => {
  it("counts script files by Chromium's type or by content type, and sums every response", () => {
    const weight = summarizeWeight(
      200,
      [
        resource({
          url: "http://h/",
          resourceType: "document",
          contentType: "text/html",
          bytes: 10_000,
          gzipBytes: 3_000,
        }),
        resource({ url: "http://h/a.js", resourceType: "script", bytes: 20_000, gzipBytes: 6_000 }),
        resource({
          url: "http://h/b",
          resourceType: "fetch",
          contentType: "text/javascript",
          bytes: 5_000,
          gzipBytes: 2_000,
        }),
        resource({
          url: "http://h/s.css",
          resourceType: "stylesheet",
          contentType: "text/css",
          bytes: 8_000,
          gzipBytes: 2_500,
        }),
      ],
      [],
    );
    expect(weight).toMatchObject({
      status: 200,
      requests: 4,
      jsFiles: 2,
      inlineScripts: 0,
      jsBytes: 25_000,
      jsGzipBytes: 8_000,
      totalBytes: 43_000,
      totalGzipBytes: 13_500,
    });
    expect(weight.largestJs).toEqual([
      { url: "http://h/a.js", gzipBytes: 6_000 },
      { url: "http://h/b", gzipBytes: 2_000 },
    ]);
  });

  it("counts scripts written into the HTML as JavaScript, compressed together", () => {
    const inline = ["console.log('a');".repeat(50), "console.log('b');"];
    const weight = summarizeWeight(200, [], inline);
    expect(weight.inlineScripts).toBe(2);
    expect(weight.jsBytes).toBe(inline.join("").length);
    expect(weight.jsGzipBytes).toBeGreaterThan(0);
    expect(weight.jsGzipBytes).toBeLessThan(weight.jsBytes);
  });

  it("does not take a stylesheet or JSON for JavaScript", () => {
    expect(isJavaScript({ resourceType: "stylesheet", contentType: "text/css" })).toBe(false);
    expect(isJavaScript({ resourceType: "fetch", contentType: "application/json" })).toBe(false);
    expect(isJavaScript({ resourceType: "other", contentType: "application/javascript; charset=utf-8" })).toBe(true);
  });
});

describe("time to first byte", () => {
  let server: Server;
  let base: string;
  /** A page cache like the site's: a kept copy answers until the test says the content changed. */
  let changed = false;
  let keptCopiesLeft = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/missing") {
        response.writeHead(404, { "content-type": "text/html" }).end("<h1>not here</h1>");
        return;
      }
      if (request.url === "/kept-forever") {
        response.writeHead(200, { "x-site-cache": "hit" }).end("<h1>old</h1>");
        return;
      }
      if (request.url === "/no-page-cache") {
        response.writeHead(200, { "cache-control": "private, no-store" }).end("<h1>rendered</h1>");
        return;
      }
      // The site takes a moment to notice a change: a few kept copies still go out first.
      const rendered = changed && keptCopiesLeft-- <= 0;
      if (rendered) changed = false;
      response.writeHead(200, {
        "content-type": "text/html",
        "cache-control": "public, max-age=0, s-maxage=10",
        "x-site-cache": rendered ? "miss" : "hit",
        "x-cache": "hit", // an API's header passed along: the site's own says more and is read first
      });
      response.end("<h1>page</h1>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("times real requests on one kept-alive connection and tallies statuses and cache headers", async () => {
    const agent = ttfbAgent();
    try {
      const samples = [
        await timeToFirstByte(new URL("/", base), agent, {}),
        await timeToFirstByte(new URL("/", base), agent, {}),
        await timeToFirstByte(new URL("/missing", base), agent, {}),
      ];
      const series = summarizeTtfb(samples);
      expect(series.samples).toBe(3);
      expect(series.statusCounts).toEqual({ "200": 2, "404": 1 });
      expect(series.cacheStatusCounts).toEqual({ hit: 2, none: 1 });
      expect(series.cacheControls).toEqual(["public, max-age=0, s-maxage=10", "(none)"]);
      expect(series.latencyMs.p50).toBeGreaterThan(0);
      expect(series.notRefreshed).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it("after a change, answers the first rendering and not the kept copies served before it", async () => {
    const agent = ttfbAgent();
    try {
      changed = true;
      keptCopiesLeft = 3;
      const sample = await firstRenderAfterChange(new URL("/", base), agent, () => ({}));
      expect(sample).toMatchObject({ status: 200, cacheStatus: "miss" });
      expect(keptCopiesLeft).toBe(-1);
    } finally {
      agent.destroy();
    }
  });

  it("takes a page without a page cache as rendered at once, and gives up on one that never changes", async () => {
    const agent = ttfbAgent();
    try {
      expect(await firstRenderAfterChange(new URL("/no-page-cache", base), agent, () => ({}))).toMatchObject({
        cacheStatus: "none",
      });
      expect(await firstRenderAfterChange(new URL("/kept-forever", base), agent, () => ({}), 300)).toBeUndefined();
    } finally {
      agent.destroy();
    }
  });
});

describe("Lighthouse figures", () => {
  const lhr = {
    categories: {
      performance: {
        score: 0.874,
        auditRefs: [
          { id: "largest-contentful-paint", weight: 25 },
          { id: "total-blocking-time", weight: 30 },
          { id: "metrics", weight: 0 },
        ],
      },
      accessibility: { score: 1, auditRefs: [{ id: "color-contrast", weight: 7 }] },
      "best-practices": { score: null, auditRefs: [] },
      seo: { score: 0.92, auditRefs: [{ id: "meta-description", weight: 1 }] },
    },
    audits: {
      "largest-contentful-paint": { score: 0.5, displayValue: "3.1 s" },
      "total-blocking-time": { score: 1 },
      metrics: { score: null },
      "color-contrast": { score: 1 },
      "meta-description": { score: 0 },
    },
  } as unknown as Result;

  it("reads scores as 0–100 and leaves an unscored category empty", () => {
    expect(scoresOf(lhr)).toEqual({ performance: 87, accessibility: 100, "best-practices": null, seo: 92 });
  });

  it("lists the scored audits that failed, with their values", () => {
    expect(findingsOf(lhr)).toEqual(["performance: largest-contentful-paint (3.1 s)", "seo: meta-description"]);
  });

  it("takes each category's median over the runs that scored it, and no score when none did", () => {
    const run = (performance: number, seo: number | null) => ({
      performance,
      accessibility: 100,
      "best-practices": 96,
      seo,
    });
    expect(medianScores([run(90, 100), run(70, 100), run(99, 100)])).toEqual({
      performance: 90,
      accessibility: 100,
      "best-practices": 96,
      seo: 100,
    });
    expect(medianScores([run(90, 98), run(91, null), run(92, 94)]).seo).toBe(94);
    expect(medianScores([run(90, null), run(91, null)]).seo).toBeNull();
  });
});

describe("the site table", () => {
  const page = (jsGzipBytes: number, performance: number, status = 200): SitePageMeasurement => {
    const series = {
      samples: 25,
      latencyMs: { p50: 12, p95: 20, p99: 22, max: 25, mean: 13 },
      statusCounts: { "200": 25 },
      cacheStatusCounts: { none: 25 },
      cacheControls: ["public, s-maxage=60"],
      notRefreshed: 0,
    };
    return {
      kind: "site-page",
      scenario: "site",
      page: "catalog",
      path: "/courses",
      weight: {
        status,
        requests: 4,
        jsFiles: 1,
        inlineScripts: 1,
        jsBytes: jsGzipBytes * 3,
        jsGzipBytes,
        totalBytes: 90_000,
        totalGzipBytes: 30_000,
        largestJs: [{ url: "http://127.0.0.1:8787/_astro/island.js", gzipBytes: jsGzipBytes }],
      },
      ttfb: { uncached: series, cached: series },
      lighthouse: {
        runs: 3,
        scores: { performance, accessibility: 100, "best-practices": 100, seo: 100 },
        findings: [],
        runtimeErrors: [],
        report: ".data/bench/lighthouse/catalog.html",
      },
      budgets: { jsGzipBytes: 50_000, lighthouseScore: 95 },
    };
  };

  it("marks a page over the JavaScript budget or under the Lighthouse goal", () => {
    const within = renderSitePages([page(12_300, 99)]);
    expect(within).toContain("**12.3**");
    expect(within).toContain("≤ 50.0 ✅");
    expect(within).toContain("/_astro/island.js (12.3)");
    const over = renderSitePages([page(61_000, 80)]);
    expect(over).toContain("≤ 50.0 ❌");
    expect(over).toMatch(/\| catalog \| 80 \| 100 \| 100 \| 100 \| 3 \| ❌ \|/);
  });

  it("does not count a page that did not answer 200 as within the JavaScript budget", () => {
    const missing = page(0, 100, 404);
    expect(javaScriptMeetsBudget(missing)).toBe(false);
    expect(renderSitePages([missing])).toContain("| ⚠ 404 |");
    expect(renderSitePages([missing])).toContain("≤ 50.0 ❌");
  });
});
