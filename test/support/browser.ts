import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { newClientAddress } from "./api.ts";

/**
 * Tests in a real browser: Debian's Chromium driven by playwright-core (no browser download).
 *
 * A test file calls `useBrowser()` once at its top level; the browser starts before its tests and stops
 * after them, each test's contexts are closed after it, and a test fails when one of its pages broke the
 * site's Content-Security-Policy. The browser process also goes if the test process dies: playwright
 * kills the browsers it launched on exit, and Chromium quits when the pipe it is driven through closes.
 */

/** Debian's package puts it here; `CHROMIUM_PATH` points elsewhere (another distribution, a Mac). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const SCREENSHOT_DIR = fileURLToPath(new URL("../../.data/screenshots/", import.meta.url));

/** The widths the issue asks screenshots at: a laptop and a phone. */
export const SCREENSHOT_WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Chromium's sandbox refuses to run as root; as any other user it stays on.
      chromiumSandbox: process.getuid?.() !== 0,
    });
  } catch (error) {
    throw new Error(
      `Could not start Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium; elsewhere set CHROMIUM_PATH): ` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
}

export interface PageOptions {
  /** BCP 47, sent as Accept-Language and `navigator.language`; default `en-US`. */
  readonly locale?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly colorScheme?: "light" | "dark";
  /**
   * The visitor's address (`cf-connecting-ip`), which the gateway rate-limits by. Every context gets a
   * fresh one unless given, as every `api()` call does, so a suite's sign-ins never add up to one client's.
   */
  readonly clientAddress?: string;
  /** For a test that provokes a CSP violation on purpose (an injected script that must be blocked). */
  readonly allowCspViolations?: boolean;
  /**
   * Cookies and storage to start from: another context's `context.storageState()` makes this one the
   * same visitor on a second device (the session cookie comes along, nothing else is shared).
   */
  readonly storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>;
}

/** A CSP violation as the page's `securitypolicyviolation` event describes it. */
export interface CspViolation {
  readonly directive: string;
  readonly blockedUri: string;
  readonly documentUri: string;
  readonly disposition: string;
  readonly sample: string;
}

/** What went wrong in a page while the test used it, kept for the test to assert on. */
export interface PageProblems {
  /** `console.error` calls and what Chromium logs as errors (failed loads, refused scripts). */
  readonly consoleErrors: string[];
  /** Exceptions the page's scripts threw and nobody caught. */
  readonly pageErrors: string[];
  readonly cspViolations: CspViolation[];
}

/**
 * A page and its context. Every page of the context is watched, so a second tab of the same visitor
 * (`context.newPage()`) reports into the same `problems`.
 */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly problems: PageProblems;
  readonly allowCspViolations: boolean;
}

const CSP_BINDING = "__platformTestReportsCspViolation";

/** A page in a context of its own (its own cookies: a visitor of its own), watched for problems. */
export async function newWatchedPage(browser: Browser, options: PageOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    locale: options.locale ?? "en-US",
    viewport: options.viewport ?? SCREENSHOT_WIDTHS[0],
    colorScheme: options.colorScheme ?? "light",
    extraHTTPHeaders: { "cf-connecting-ip": options.clientAddress ?? newClientAddress() },
    ...(options.storageState && { storageState: options.storageState }),
  });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  // The binding and the listener are installed through the DevTools protocol, which the page's CSP does
  // not govern: the watcher itself never causes a violation, and it is in place before the page's first byte.
  await context.exposeBinding(CSP_BINDING, (_source, violation: CspViolation) => {
    problems.cspViolations.push(violation);
  });
  await context.addInitScript((binding: string) => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as Record<string, (violation: CspViolation) => void>)[binding];
      report?.({
        directive: event.effectiveDirective,
        blockedUri: event.blockedURI,
        documentUri: event.documentURI,
        disposition: event.disposition,
        sample: event.sample,
      });
    });
  }, CSP_BINDING);
  context.on("console", (message) => {
    if (message.type() === "error") {
      const { url, lineNumber } = message.location();
      problems.consoleErrors.push(url ? `${message.text()} (${url}:${lineNumber})` : message.text());
    }
  });
  context.on("weberror", (webError) => problems.pageErrors.push(webError.error().stack ?? webError.error().message));
  const page = await context.newPage();
  return { page, context, problems, allowCspViolations: options.allowCspViolations ?? false };
}

/** Lets violations already reported by the page reach the test process (bindings arrive in order). */
async function settle(watched: readonly WatchedPage[]): Promise<void> {
  const pages = watched.flatMap(({ context }) => context.pages());
  await Promise.all(pages.map((page) => page.evaluate(() => 0).catch(() => {})));
}

/** Throws, listing every violation, when a page that did not allow it broke the site's CSP. */
export async function assertNoCspViolations(watched: readonly WatchedPage[]): Promise<void> {
  await settle(watched);
  const lines = watched
    .filter((entry) => !entry.allowCspViolations)
    .flatMap(({ problems }) => problems.cspViolations)
    .map(
      (v) =>
        `- ${v.directive} (${v.disposition}) blocked ${v.blockedUri || "an inline resource"} on ${v.documentUri}` +
        (v.sample ? `: ${v.sample}` : ""),
    );
  if (lines.length > 0) {
    throw new Error(`The page broke the Content-Security-Policy ${lines.length} time(s):\n${lines.join("\n")}`);
  }
}

export interface BrowserHarness {
  /** A new context and page for the calling test, closed after it. */
  newPage(options?: PageOptions): Promise<WatchedPage>;
}

/**
 * Wires the browser into the calling test file's lifecycle. Call once, at the top level of the file.
 * After each test: a CSP violation fails that test, then its contexts close (also when it failed).
 */
export function useBrowser(): BrowserHarness {
  let browser: Browser | undefined;
  let opened: WatchedPage[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    const pages = opened;
    opened = [];
    try {
      await assertNoCspViolations(pages);
    } finally {
      await Promise.all(pages.map(({ context }) => context.close().catch(() => {})));
    }
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return {
    async newPage(options) {
      if (!browser) throw new Error("useBrowser(): the browser starts in beforeAll; open pages inside a test");
      const watched = await newWatchedPage(browser, options);
      opened.push(watched);
      return watched;
    },
  };
}

/** axe-core's answer and one rule's findings (typed through the builder: axe-core is its dependency, not ours). */
export type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type AxeViolation = AxeResults["violations"][number];

const BLOCKING_IMPACTS = new Set(["serious", "critical"]);
const NODES_SHOWN = 5;

/** axe's findings, one paragraph per rule: what is wrong, where (selectors), and how to fix it. */
export function describeViolations(url: string, violations: readonly AxeViolation[]): string {
  const paragraphs = violations.map((violation) => {
    const nodes = violation.nodes.slice(0, NODES_SHOWN).map((node) => {
      const summary = (node.failureSummary ?? "").replace(/\s*\n\s*/g, " ").trim();
      return `    · ${node.target.join(" ")}${summary ? `: ${summary}` : ""}`;
    });
    const more = violation.nodes.length - NODES_SHOWN;
    return [
      `- ${violation.id} (${violation.impact}): ${violation.help}`,
      `    ${violation.helpUrl}`,
      ...nodes,
      ...(more > 0 ? [`    · and ${more} more`] : []),
    ].join("\n");
  });
  return `${violations.length} serious or critical accessibility violation(s) on ${url}:\n${paragraphs.join("\n")}`;
}

/**
 * Runs axe-core (every rule of its default set: WCAG 2.x A and AA, and best practices) on the page as
 * it is now, and throws a readable report when any violation is serious or critical. Minor and
 * moderate findings are answered for the test to look at, not failed on (the issue's bar).
 */
export async function checkAccessibility(page: Page): Promise<AxeResults> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ""));
  if (blocking.length > 0) throw new Error(describeViolations(page.url(), blocking));
  return results;
}

/**
 * Full-page screenshots at 1280 and 390 px wide, kept under `.data/screenshots/` (CI keeps `.data/` as
 * artifacts): `<name>-1280.png` and `<name>-390.png`. The page's viewport is put back afterwards.
 */
export async function screenshot(page: Page, name: string): Promise<string[]> {
  const fileName = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  if (!fileName) throw new Error(`screenshot(): "${name}" gives no usable file name`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  const paths: string[] = [];
  try {
    for (const viewport of SCREENSHOT_WIDTHS) {
      await page.setViewportSize(viewport);
      const path = `${SCREENSHOT_DIR}${fileName}-${viewport.width}.png`;
      await page.screenshot({ path, fullPage: true, animations: "disabled" });
      paths.push(path);
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
  return paths;
}
