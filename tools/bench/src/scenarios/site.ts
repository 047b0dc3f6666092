import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DEMO_COURSES, REPO_ROOT } from "@platform/dev-stack";
import { BUDGETS } from "../budgets.ts";
import { nextClientAddress } from "../client-addresses.ts";
import type { Scenario } from "../scenario.ts";
import { CHROMIUM_NEEDS_NO_SANDBOX, requireChromium } from "../site/chromium.ts";
import {
  LIGHTHOUSE_CATEGORIES,
  medianScores,
  runLighthouse,
  withLighthouseChrome,
  type LighthouseRun,
  type LighthouseScores,
} from "../site/lighthouse-run.ts";
import { weighPage, type PageWeight } from "../site/page-weight.ts";
import { measureTtfb } from "../site/page-ttfb.ts";
import type { TtfbSeries } from "../site/ttfb.ts";

const NAME = "site";
/** Where the Lighthouse HTML reports go (git-ignored, kept with CI's other artifacts). */
const LIGHTHOUSE_REPORT_DIR = join(REPO_ROOT, ".data", "bench", "lighthouse");

/** The public pages the issue budgets: the demo data's first course stands for every course page. */
const demoCourse = DEMO_COURSES[0];
if (!demoCourse) throw new Error("the dev stack's demo data has no course");
export const SITE_PAGES = [
  { page: "home", path: "/" },
  { page: "catalog", path: "/courses" },
  { page: "course", path: `/courses/${demoCourse.slug}` },
] as const;

/** One public page: what a first visit downloads, how fast it starts to answer, and Lighthouse's scores. */
export interface SitePageMeasurement {
  readonly kind: "site-page";
  readonly scenario: string;
  readonly page: string;
  readonly path: string;
  readonly weight: PageWeight;
  readonly ttfb: { readonly uncached: TtfbSeries; readonly cached: TtfbSeries };
  readonly lighthouse: {
    readonly runs: number;
    /** Each category's median over the runs that scored it. */
    readonly scores: LighthouseScores;
    /** Audits that cost points in any run (deduplicated). */
    readonly findings: readonly string[];
    readonly runtimeErrors: readonly string[];
    /** The last run's HTML report, relative to the repository root. */
    readonly report: string;
  };
  readonly budgets: { readonly jsGzipBytes: number; readonly lighthouseScore: number };
}

async function weighPages(baseUrl: string, say: (message: string) => void): Promise<Map<string, PageWeight>> {
  // Imported here, not at the top: only this scenario drives a browser.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: requireChromium(),
    headless: true,
    chromiumSandbox: !CHROMIUM_NEEDS_NO_SANDBOX,
  });
  try {
    const weights = new Map<string, PageWeight>();
    for (const { page, path } of SITE_PAGES) {
      say(`${NAME}: weighing ${path} in Chromium …`);
      weights.set(page, await weighPage(browser, new URL(path, baseUrl).href, nextClientAddress()));
    }
    return weights;
  } finally {
    await browser.close();
  }
}

async function lighthousePages(
  baseUrl: string,
  runs: number,
  say: (message: string) => void,
): Promise<Map<string, LighthouseRun[]>> {
  const results = new Map<string, LighthouseRun[]>();
  await withLighthouseChrome(async (port) => {
    for (const { page, path } of SITE_PAGES) {
      const pageRuns: LighthouseRun[] = [];
      for (let run = 0; run < runs; run++) {
        say(`${NAME}: Lighthouse on ${path}, run ${run + 1} of ${runs} …`);
        pageRuns.push(await runLighthouse(port, new URL(path, baseUrl).href, nextClientAddress()));
      }
      results.set(page, pageRuns);
    }
  });
  return results;
}

export const site: Scenario = {
  name: NAME,
  description:
    "The public pages (home, catalog, a course) in Debian's Chromium through the gateway: JavaScript and total " +
    "bytes of a first visit (gzip per response), time to first byte p50/p95 cached and uncached (the first render " +
    "after the demo course changed through the API), and Lighthouse's performance, accessibility, best-practices " +
    "and SEO scores (median of runs).",
  async run({ platform, durations, say }) {
    requireChromium();
    const baseUrl = await platform.gatewayUrl();
    const weights = await weighPages(baseUrl, say);
    const ttfb = await measureTtfb(baseUrl, SITE_PAGES, durations.fixedRate.rounds, (message) =>
      say(`${NAME}: ${message}`),
    );
    // Three runs for the record (the median steadies the performance score), one for a quick check.
    const lighthouse = await lighthousePages(baseUrl, Math.min(3, durations.fixedRate.rounds), say);

    mkdirSync(LIGHTHOUSE_REPORT_DIR, { recursive: true });
    return SITE_PAGES.map(({ page, path }): SitePageMeasurement => {
      const weight = weights.get(page);
      const times = ttfb.get(page);
      const runs = lighthouse.get(page) ?? [];
      const lastRun = runs.at(-1);
      if (!weight || !times || !lastRun) throw new Error(`${NAME}: no figures for the ${page} page`);
      const report = join(LIGHTHOUSE_REPORT_DIR, `${page}.html`);
      writeFileSync(report, lastRun.reportHtml);
      return {
        kind: "site-page",
        scenario: NAME,
        page,
        path,
        weight,
        ttfb: times,
        lighthouse: {
          runs: runs.length,
          scores: medianScores(runs.map((run) => run.scores)),
          findings: [...new Set(runs.flatMap((run) => run.findings))],
          runtimeErrors: [...new Set(runs.flatMap((run) => (run.runtimeError ? [run.runtimeError] : [])))],
          report: relative(REPO_ROOT, report),
        },
        budgets: { jsGzipBytes: BUDGETS.sitePageJsGzipBytes, lighthouseScore: BUDGETS.lighthouseMinScore },
      };
    });
  },
};

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");
const counts = (tally: Readonly<Record<string, number>>) =>
  Object.entries(tally)
    .map(([key, n]) => `${key}: ${n}`)
    .join(", ");

/** A page that did not answer 200 was not weighed as a visitor sees it: it cannot count as within budget. */
const onlyOk = (series: TtfbSeries) => Object.keys(series.statusCounts).every((status) => status === "200");

export function javaScriptMeetsBudget(m: SitePageMeasurement): boolean {
  return m.weight.status === 200 && m.weight.jsGzipBytes <= m.budgets.jsGzipBytes;
}

export function lighthouseMeetsBudget(m: SitePageMeasurement): boolean {
  return LIGHTHOUSE_CATEGORIES.every((category) => (m.lighthouse.scores[category] ?? 0) >= m.budgets.lighthouseScore);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderSitePages(pages: readonly SitePageMeasurement[]): string {
  const bytes = table(
    [
      "page",
      "status",
      "requests",
      "JS files + inline",
      "JS KB",
      "**JS KB gzip**",
      "budget",
      "total KB",
      "total KB gzip",
      "largest script (gzip KB)",
    ],
    pages.map((m) => [
      `${m.page} \`${m.path}\``,
      m.weight.status === 200 ? "200" : `⚠ ${m.weight.status}`,
      String(m.weight.requests),
      `${m.weight.jsFiles} + ${m.weight.inlineScripts}`,
      kb(m.weight.jsBytes),
      `**${kb(m.weight.jsGzipBytes)}**`,
      `≤ ${kb(m.budgets.jsGzipBytes)} ${javaScriptMeetsBudget(m) ? "✅" : "❌"}`,
      kb(m.weight.totalBytes),
      kb(m.weight.totalGzipBytes),
      m.weight.largestJs.map((js) => `${new URL(js.url).pathname} (${kb(js.gzipBytes)})`).join(", ") || "–",
    ]),
  );
  const ttfb = table(
    [
      "page",
      "uncached p50 ms",
      "uncached p95 ms",
      "cached p50 ms",
      "cached p95 ms",
      "samples (cached / uncached)",
      "cache header (cached / uncached)",
      "Cache-Control",
      "statuses",
    ],
    pages.map((m) => [
      m.page,
      ms(m.ttfb.uncached.latencyMs.p50),
      ms(m.ttfb.uncached.latencyMs.p95),
      ms(m.ttfb.cached.latencyMs.p50),
      ms(m.ttfb.cached.latencyMs.p95),
      `${m.ttfb.cached.samples} / ${m.ttfb.uncached.samples}` +
        (m.ttfb.uncached.notRefreshed ? ` (⚠ ${m.ttfb.uncached.notRefreshed} changes never shown)` : ""),
      `${counts(m.ttfb.cached.cacheStatusCounts)} / ${counts(m.ttfb.uncached.cacheStatusCounts)}`,
      [...new Set([...m.ttfb.cached.cacheControls, ...m.ttfb.uncached.cacheControls])]
        .map((value) => `\`${value}\``)
        .join(", "),
      onlyOk(m.ttfb.cached) && onlyOk(m.ttfb.uncached)
        ? "all 200"
        : `cached ${counts(m.ttfb.cached.statusCounts)}; uncached ${counts(m.ttfb.uncached.statusCounts)}`,
    ]),
  );
  const score = (value: number | null) => (value === null ? "–" : String(value));
  const lighthouse = table(
    [
      "page",
      "performance",
      "accessibility",
      "best practices",
      "SEO",
      "runs",
      "≥ 95 each",
      "what cost points",
      "report",
    ],
    pages.map((m) => [
      m.page,
      ...LIGHTHOUSE_CATEGORIES.map((category) => score(m.lighthouse.scores[category])),
      String(m.lighthouse.runs),
      lighthouseMeetsBudget(m) ? "✅" : "❌",
      [...m.lighthouse.runtimeErrors, ...m.lighthouse.findings].join("; ") || "nothing",
      `\`${m.lighthouse.report}\``,
    ]),
  );
  return [
    "### Bytes of a first visit",
    "",
    bytes,
    "",
    "Each page loaded once in Debian's Chromium (playwright-core), in a fresh context at 1280 × 800 (empty cache, " +
      "no cookies), until the network was quiet. Every response's body is counted as received and gzipped apart at " +
      "zlib's default level (what a compressing edge sends; `wrangler dev` itself does not compress); scripts written " +
      "into the HTML count as JavaScript too. KB = 1,000 bytes, as the budget is written.",
    "",
    "### Time to first byte",
    "",
    ttfb,
    "",
    "Requests one at a time through the gateway on one keep-alive connection, each from a client address of its " +
      "own; the time until the status line and headers arrived. **Cached**: the page's address asked again and " +
      "again, so whatever the site keeps of it answers. **Uncached**: the demo course's summary changed through the " +
      "API (as its author would; it shows on all three pages), then the page asked for until an answer is the page " +
      "rendered again rather than a kept copy: that first render is the sample, as the first visitor after a change " +
      "meets it (the API's caches moved on by the change too). The cache header column counts what the answers said " +
      "(`x-site-cache`, else `x-cache` or `cf-cache-status`; `none` when none). Under `wrangler dev` there is no CDN " +
      "in front, so `s-maxage` alone caches nothing here; the site's own page cache (Workers Cache API) does.",
    "",
    "### Lighthouse",
    "",
    lighthouse,
    "",
    "Lighthouse (npm, run programmatically) against Debian's Chromium started by chrome-launcher, headless, with " +
      "Lighthouse's default settings: mobile, an emulated mid-range phone on simulated slow 4G. Scores are the " +
      "median of the runs per category; the HTML report of the last run is kept for reading.",
  ].join("\n");
}
