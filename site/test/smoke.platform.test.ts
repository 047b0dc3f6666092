import { describe, expect, it } from "vitest";
import { gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";

/**
 * The public pages load in a real browser on the running stack: a 200, a heading, nothing logged as an
 * error, no serious accessibility violation, the CSP kept (useBrowser fails the test otherwise), and
 * screenshots at both widths. What the pages say is the journeys' business; this proves the harness on them.
 */
const browser = useBrowser();

const PAGES = [
  { name: "home", path: "/" },
  { name: "catalog", path: "/courses" },
] as const;

describe("the site's public pages in Chromium", () => {
  for (const { name, path } of PAGES) {
    it(`serves the ${name} page (${path}) with a heading, no console errors, and no serious axe findings`, async () => {
      const { page, problems } = await browser.newPage();
      const response = await page.goto(`${gatewayUrl}${path}`, { waitUntil: "load" });

      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
      const headings = await page.locator("h1").allTextContents();
      expect(headings.length).toBeGreaterThan(0);
      expect(headings[0]?.trim()).toBeTruthy();

      await checkAccessibility(page);
      await screenshot(page, `smoke-${name}`);

      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    });
  }
});
