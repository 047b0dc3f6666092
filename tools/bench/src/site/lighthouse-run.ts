// Lighthouse and chrome-launcher are imported when a run needs them: loading Lighthouse takes most of a
// second, which every bench run (even `--list`) would otherwise pay.
import type { LaunchedChrome } from "chrome-launcher";
import type { Result } from "lighthouse";
import { CHROMIUM_NEEDS_NO_SANDBOX, requireChromium } from "./chromium.ts";

/** The four categories the issue scores pages on, by Lighthouse's ids. */
export const LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

/** 0–100 per category; `null` when Lighthouse could not score it (the page did not load). */
export type LighthouseScores = Readonly<Record<LighthouseCategory, number | null>>;

export interface LighthouseRun {
  readonly scores: LighthouseScores;
  /** Scored audits that did not pass, heaviest first, e.g. `performance: largest-contentful-paint (2.9 s)`. */
  readonly findings: readonly string[];
  /** Why Lighthouse could not audit the page (e.g. the document answered 404). */
  readonly runtimeError: string | undefined;
  readonly reportHtml: string;
}

export function scoresOf(lhr: Result): LighthouseScores {
  const score = (category: LighthouseCategory) => {
    const value = lhr.categories[category]?.score;
    return typeof value === "number" ? Math.round(value * 100) : null;
  };
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    seo: score("seo"),
  };
}

/** The audits that cost points: scored (weight > 0), not passed; heaviest first within each category. */
export function findingsOf(lhr: Result): string[] {
  return LIGHTHOUSE_CATEGORIES.flatMap((category) =>
    (lhr.categories[category]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0)
      .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
      .filter(({ audit }) => audit && typeof audit.score === "number" && audit.score < 0.9)
      .sort((a, b) => b.ref.weight - a.ref.weight)
      .map(({ ref, audit }) => `${category}: ${ref.id}${audit?.displayValue ? ` (${audit.displayValue})` : ""}`),
  );
}

/**
 * Each category's median over the runs that scored it (Lighthouse's own advice for a stable figure; the
 * lower middle of an even count). A run that failed to trace the page scores nothing and is left out
 * (its error is reported beside the scores); null when no run scored the category.
 */
export function medianScores(runs: readonly LighthouseScores[]): LighthouseScores {
  const median = (category: LighthouseCategory) => {
    const sorted = runs
      .map((run) => run[category])
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
  };
  return {
    performance: median("performance"),
    accessibility: median("accessibility"),
    "best-practices": median("best-practices"),
    seo: median("seo"),
  };
}

/**
 * Debian's Chromium started by chrome-launcher, as Lighthouse expects its browser (a clean profile, a
 * DevTools port), for the duration of `use`. chrome-launcher puts Chromium in a process group of its own:
 * if the bench exits before `use` returns (Ctrl-C, a crash), the exit hook kills that group.
 */
export async function withLighthouseChrome<T>(use: (port: number) => Promise<T>): Promise<T> {
  const { launch } = await import("chrome-launcher");
  const chrome: LaunchedChrome = await launch({
    chromePath: requireChromium(),
    chromeFlags: ["--headless=new", ...(CHROMIUM_NEEDS_NO_SANDBOX ? ["--no-sandbox"] : [])],
    // The bench's own signal handlers stop everything; chrome-launcher's would exit the process first.
    handleSIGINT: false,
  });
  const killNow = () => {
    try {
      process.kill(-chrome.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.on("exit", killNow);
  try {
    return await use(chrome.port);
  } finally {
    process.off("exit", killNow);
    chrome.kill();
  }
}

/**
 * One Lighthouse navigation with its default settings (mobile: an emulated mid-range phone on simulated
 * slow 4G), the four categories only, the HTML report kept for people to read.
 */
export async function runLighthouse(port: number, url: string, clientAddress: string): Promise<LighthouseRun> {
  const { default: lighthouse } = await import("lighthouse");
  const result = await lighthouse(url, {
    port,
    output: "html",
    logLevel: "error",
    onlyCategories: [...LIGHTHOUSE_CATEGORIES],
    // The gateway rate-limits per visitor address; each run is a visitor of its own.
    extraHeaders: { "cf-connecting-ip": clientAddress },
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const lhr = result.lhr;
  return {
    scores: scoresOf(lhr),
    findings: findingsOf(lhr),
    runtimeError: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : undefined,
    reportHtml: Array.isArray(result.report) ? result.report.join("\n") : result.report,
  };
}
