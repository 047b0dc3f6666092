import { gzipSync } from "node:zlib";
import type { Browser, Response } from "playwright-core";

/** One response the page loaded, with its body as the page received it (decoded). */
export interface LoadedResource {
  readonly url: string;
  /** Chromium's own classification: document, script, stylesheet, image, font, fetch, … */
  readonly resourceType: string;
  readonly contentType: string;
  readonly status: number;
  readonly bytes: number;
  /** The body gzipped at zlib's default level, on its own (each response is compressed apart). */
  readonly gzipBytes: number;
}

/** What a first visit to a page downloads, with an empty cache. Bytes are bodies, without headers. */
export interface PageWeight {
  readonly status: number;
  readonly requests: number;
  /** Script files, and scripts written into the HTML (Astro inlines small ones), counted as JavaScript too. */
  readonly jsFiles: number;
  readonly inlineScripts: number;
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
  readonly totalBytes: number;
  readonly totalGzipBytes: number;
  /** The three largest script files by gzip size, so a page over budget says where to look. */
  readonly largestJs: readonly { readonly url: string; readonly gzipBytes: number }[];
}

const gzipSize = (body: Uint8Array | string) => gzipSync(body).byteLength;

export function isJavaScript(resource: Pick<LoadedResource, "resourceType" | "contentType">): boolean {
  return resource.resourceType === "script" || /\b(java|ecma)script\b/i.test(resource.contentType);
}

/** Inline scripts that run (JSON-LD and other data blocks do not). */
const EXECUTABLE_SCRIPT_TYPES = /^(|module|text\/javascript|application\/javascript)$/i;

export function summarizeWeight(
  documentStatus: number,
  resources: readonly LoadedResource[],
  inlineScripts: readonly string[],
): PageWeight {
  const scripts = resources.filter(isJavaScript);
  const inlineBytes = inlineScripts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  // Inline scripts travel inside the HTML, whose gzip is in the total already; for the JavaScript figure
  // they are compressed together, as they would be within the document.
  const inlineGzip = inlineScripts.length > 0 ? gzipSize(inlineScripts.join("\n")) : 0;
  const sum = (list: readonly LoadedResource[], key: "bytes" | "gzipBytes") =>
    list.reduce((total, resource) => total + resource[key], 0);
  return {
    status: documentStatus,
    requests: resources.length,
    jsFiles: scripts.length,
    inlineScripts: inlineScripts.length,
    jsBytes: sum(scripts, "bytes") + inlineBytes,
    jsGzipBytes: sum(scripts, "gzipBytes") + inlineGzip,
    totalBytes: sum(resources, "bytes"),
    totalGzipBytes: sum(resources, "gzipBytes"),
    largestJs: [...scripts]
      .sort((a, b) => b.gzipBytes - a.gzipBytes)
      .slice(0, 3)
      .map(({ url, gzipBytes }) => ({ url, gzipBytes })),
  };
}

async function resourceOf(response: Response): Promise<LoadedResource> {
  // Redirects and some failed loads have no body to read.
  const body = await response.body().catch(() => Buffer.alloc(0));
  return {
    url: response.url(),
    resourceType: response.request().resourceType(),
    contentType: response.headers()["content-type"] ?? "",
    status: response.status(),
    bytes: body.byteLength,
    gzipBytes: body.byteLength > 0 ? gzipSize(body) : 0,
  };
}

/**
 * Loads the page in a fresh context (empty cache, no cookies: a first visit) at a laptop's width, waits
 * until the network has been quiet for a moment, and weighs every response it received.
 */
export async function weighPage(browser: Browser, url: string, clientAddress: string): Promise<PageWeight> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: { "cf-connecting-ip": clientAddress },
  });
  try {
    const page = await context.newPage();
    const pending: Promise<LoadedResource>[] = [];
    page.on("response", (response) => pending.push(resourceOf(response)));
    const document = await page.goto(url, { waitUntil: "load" });
    // Lazy images and islands that hydrate on load fetch after it; a quiet network means they are in.
    await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
    const inlineScripts = await page.$$eval("script:not([src])", (elements) =>
      elements.map((element) => ({ type: element.getAttribute("type") ?? "", text: element.textContent ?? "" })),
    );
    return summarizeWeight(
      document?.status() ?? 0,
      await Promise.all(pending),
      inlineScripts.filter(({ type }) => EXECUTABLE_SCRIPT_TYPES.test(type.trim())).map(({ text }) => text),
    );
  } finally {
    await context.close();
  }
}
