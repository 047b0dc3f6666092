import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertNoCspViolations,
  checkAccessibility,
  screenshot,
  SCREENSHOT_WIDTHS,
  useBrowser,
} from "../../test/support/browser.ts";

/**
 * The browser harness itself, on pages made to fail each of its checks (served by a small local server,
 * so the proof does not depend on what the site's pages happen to contain today): a check that cannot
 * fail proves nothing.
 */
const browser = useBrowser();

const STRICT_CSP = "default-src 'self'; script-src 'self'";
const PAGES: Record<string, { headers?: Record<string, string>; body: string; type?: string }> = {
  "/inline-script": {
    headers: { "content-security-policy": STRICT_CSP },
    body: `<!doctype html><html lang="en"><title>before</title><script>document.title = "ran"</script><h1>CSP</h1></html>`,
  },
  "/external-script": {
    headers: { "content-security-policy": STRICT_CSP },
    body: `<!doctype html><html lang="en"><title>before</title><script src="/title.js"></script><h1>CSP</h1></html>`,
  },
  "/title.js": { type: "text/javascript", body: `document.title = "ran";` },
  "/console": {
    body: `<!doctype html><html lang="en"><title>console</title><h1>Console</h1><script src="/fails.js"></script></html>`,
  },
  "/fails.js": {
    type: "text/javascript",
    body: `console.error("something broke"); throw new Error("uncaught in page");`,
  },
  "/inaccessible": {
    body: `<!doctype html><html><body><img src="/missing.png"><button></button><input type="text"></body></html>`,
  },
  "/accessible": {
    body:
      `<!doctype html><html lang="en"><head><title>Fine</title></head><body><main><h1>Fine</h1>` +
      `<label for="q">Search</label><input id="q" type="search"><button>Go</button></main></body></html>`,
  },
  "/sign-in": {
    headers: { "set-cookie": "session=learner-1; Path=/; HttpOnly; SameSite=Lax" },
    body: `<!doctype html><html lang="en"><title>Signed in</title><h1>Signed in</h1></html>`,
  },
  "/tall": {
    body: `<!doctype html><html lang="en"><title>Tall</title><body style="margin:0"><div style="height:2000px">tall</div></body></html>`,
  },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/who") {
      response.writeHead(200, { "content-type": "text/plain" }).end(request.headers.cookie ?? "nobody");
      return;
    }
    const page = PAGES[request.url ?? ""];
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": page.type ?? "text/html; charset=utf-8", ...page.headers });
    response.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("CSP violations", () => {
  it("records an inline script the policy blocked, and the check fails on it", async () => {
    const watched = await browser.newPage({ allowCspViolations: true });
    await watched.page.goto(`${origin}/inline-script`);

    expect(await watched.page.title()).toBe("before");
    await expect(assertNoCspViolations([{ ...watched, allowCspViolations: false }])).rejects.toThrow(
      /script-src-elem \(enforce\) blocked inline/,
    );
    expect(watched.problems.cspViolations).toEqual([
      expect.objectContaining({ directive: "script-src-elem", blockedUri: "inline", disposition: "enforce" }),
    ]);
  });

  it("reports none for a page that keeps the policy (the watcher itself causes none)", async () => {
    const watched = await browser.newPage();
    await watched.page.goto(`${origin}/external-script`);

    expect(await watched.page.title()).toBe("ran");
    expect(watched.problems.cspViolations).toEqual([]);
    await expect(assertNoCspViolations([watched])).resolves.toBeUndefined();
  });
});

describe("console and page errors", () => {
  it("records console.error calls and uncaught exceptions", async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${origin}/console`);

    expect(problems.consoleErrors).toEqual([expect.stringContaining("something broke")]);
    expect(problems.pageErrors).toEqual([expect.stringContaining("uncaught in page")]);
  });

  it("watches every tab of the context: a second page of the same visitor reports into the same problems", async () => {
    const { context, problems } = await browser.newPage();
    const secondTab = await context.newPage();
    await secondTab.goto(`${origin}/console`);

    expect(problems.consoleErrors).toEqual([expect.stringContaining("something broke")]);
    expect(problems.pageErrors).toEqual([expect.stringContaining("uncaught in page")]);
  });

  it("records a failed load as a console error", async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${origin}/inaccessible`, { waitUntil: "load" });

    expect(problems.consoleErrors).toEqual([expect.stringMatching(/404/)]);
  });
});

describe("contexts", () => {
  it("keeps visitors apart, and carries one visitor's cookies to a second device through storageState", async () => {
    const first = await browser.newPage();
    await first.page.goto(`${origin}/sign-in`);
    const stranger = await browser.newPage();
    const secondDevice = await browser.newPage({ storageState: await first.context.storageState() });

    await stranger.page.goto(`${origin}/who`);
    await secondDevice.page.goto(`${origin}/who`);
    expect(await stranger.page.textContent("body")).toBe("nobody");
    expect(await secondDevice.page.textContent("body")).toBe("session=learner-1");
  });
});

describe("checkAccessibility", () => {
  it("fails on serious and critical violations, naming each rule, its help page and the elements", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${origin}/inaccessible`);

    const failure = await checkAccessibility(page).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(failure).toMatch(
      /serious or critical accessibility violation\(s\) on http:\/\/127\.0\.0\.1:\d+\/inaccessible/,
    );
    expect(failure).toContain("- image-alt (critical)");
    expect(failure).toContain("- button-name (critical)");
    expect(failure).toContain("- html-has-lang (serious)");
    expect(failure).toMatch(/https:\/\/dequeuniversity\.com\/rules\/axe\/[\d.]+\/image-alt/);
    expect(failure).toMatch(/· img: Fix any of the following/);
  });

  it("passes a page with a language, a heading, labelled controls and a main landmark", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${origin}/accessible`);

    const results = await checkAccessibility(page);
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    expect(results.passes.map((rule) => rule.id)).toContain("label");
  });
});

describe("screenshot", () => {
  const pngSize = (path: string) => {
    const png = readFileSync(path);
    // The IHDR chunk follows the 8-byte signature and its own length and type: width, then height.
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  };

  it("keeps full-page PNGs at 1280 and 390 px under .data/screenshots and restores the viewport", async () => {
    const { page } = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${origin}/tall`);

    const paths = await screenshot(page, "Harness self-test: tall page");

    expect(paths.map((path) => path.split("/").slice(-3).join("/"))).toEqual(
      SCREENSHOT_WIDTHS.map(({ width }) => `.data/screenshots/harness-self-test-tall-page-${width}.png`),
    );
    expect(paths.map(pngSize)).toEqual(SCREENSHOT_WIDTHS.map(({ width }) => ({ width, height: 2000 })));
    expect(page.viewportSize()).toEqual({ width: 1000, height: 700 });
  });
});
